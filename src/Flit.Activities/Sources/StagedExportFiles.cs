using System.Runtime.CompilerServices;
using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Core.Sources;
using Flit.Core.Workflow;
using Flit.Sources.Readers;

namespace Flit.Activities.Sources;

/// <summary>
/// A run's staged exports as the staging store holds them (local files, or blobs in Azure): each layout object's file
/// is found in the store's listing of the run's exports and read through the store's read streams, which need not
/// seek. Nothing here knows a local path.
/// </summary>
/// <param name="store">The staging store holding <see cref="RunPaths.Exports"/>.</param>
/// <param name="layoutOf">The source layout of a migration (from its pair).</param>
public sealed class StagedExportFiles(IStagingStore store, Func<string, SourceLayout> layoutOf) : IStagedExports
{
    public async IAsyncEnumerable<SourceRecord> ReadAsync(MigrationRequest request, string sourceObject, Action<ReadProblem> problems, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var layout = layoutOf(request.MigrationId);
        var objectLayout = layout.Object(sourceObject)
            ?? throw new ArgumentException($"The {layout.DisplayName} layout has no object '{sourceObject}'. Objects: {string.Join(", ", layout.Objects.Select(o => o.Name))}.", nameof(sourceObject));
        var folder = RunPaths.Exports(request.MigrationId);
        var listing = new List<string>();
        await foreach (var item in store.ListAsync(folder, cancellationToken))
        {
            listing.Add(item.Path[(folder.Length + 1)..]);
        }

        var file = ExportFolder.Discover(folder, listing, layout).Files.FirstOrDefault(f => ReferenceEquals(f.Object, objectLayout) || f.Object.Name == objectLayout.Name);
        if (file is null)
        {
            yield break;
        }

        var export = new ExportFile(file.RelativePath, token => store.OpenReadAsync(file.Path, token));
        var encoding = request.Encoding is { } name ? ExportEncodings.Resolve(name) : null;
        await foreach (var record in ExportReader.ReadAsync(export, file.Object, new DelegateSink(problems), encoding, cancellationToken))
        {
            yield return record;
        }
    }

    private sealed class DelegateSink(Action<ReadProblem> report) : IReadProblemSink
    {
        public void Report(ReadProblem problem) => report(problem);
    }
}
