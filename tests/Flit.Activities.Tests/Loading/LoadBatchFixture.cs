using Flit.Activities.Partitioning;
using Flit.Activities.Planning;
using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Core.Transforms;
using Flit.Core.Workflow;
using Flit.Storage.Local;
using Moq;

namespace Flit.Activities.Tests.Loading;

/// <summary>What a load batch test runs on: an in-memory staging store, a real SQLite ID map in a temp folder, a
/// shipped mapping, and the batch file and prepare lookups the activity reads.</summary>
public abstract class LoadBatchFixture : IAsyncLifetime
{
    protected const string Migration = "m-1";

    private readonly string _folder = Directory.CreateTempSubdirectory("flit-load-").FullName;

    protected IStagingStore Store { get; } = new InMemoryStagingStore();

    protected SqliteIdMap IdMap { get; private set; } = null!;

    public async Task InitializeAsync() => IdMap = await SqliteIdMap.OpenAsync(Path.Combine(_folder, "idmap.db"), CancellationToken.None);

    public virtual async Task DisposeAsync()
    {
        await IdMap.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The pair's shipped mapping, served as the approved one; prepare resolved nothing.</summary>
    protected async Task<(CompiledMapping Mapping, IMappingSource Source)> MappingAsync(string pair)
    {
        var mapping = CompiledMapping.Compile(MappingSpecLoader.LoadShipped(pair), "acme", TransformContext.Utc);
        await Store.WriteJsonAsync(RunPaths.Lookups(Migration), new PrepareOutcome(new Dictionary<string, string>(), new Dictionary<string, string>(), [], []), CancellationToken.None);
        var source = new Mock<IMappingSource>();
        source.Setup(m => m.GetAsync(It.IsAny<MigrationRequest>(), mapping.SpecHash, It.IsAny<CancellationToken>())).ReturnsAsync(mapping);
        return (mapping, source.Object);
    }

    /// <summary>Writes a first-pass batch file and returns its path.</summary>
    protected async Task<string> WriteBatchAsync(int phase, string sourceObject, string batchId, IReadOnlyList<SourceRecord> records)
    {
        var path = RunPaths.Batch(Migration, phase, sourceObject, batchId, retry: false);
        await using var stream = await Store.OpenWriteAsync(path, CancellationToken.None);
        await BatchFile.WriteAsync(stream, records, CancellationToken.None);
        await stream.CommitAsync(CancellationToken.None);
        return path;
    }
}
