using Azure.Storage.Blobs;
using Flit.Core.Ports;
using Flit.Storage.Azure;
using Flit.Storage.Local;
using Flit.Testing;

namespace Flit.Storage.Contract.Tests;

/// <summary>One adapter's stores for one test: opening a store again gives a new instance over the same data (what a
/// new process, or another Functions instance, sees).</summary>
public abstract class StoreSet : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _opened = [];

    public abstract IStagingStore Staging(string area);

    public abstract IMigrationStateStore State();

    public abstract IApprovalStore Approvals();

    protected abstract Task<IIdMap> CreateIdMapAsync();

    protected abstract Task<IRunJournal> CreateJournalAsync();

    protected abstract Task<IMigrationIndex> CreateIndexAsync();

    public Task<IIdMap> OpenIdMapAsync() => Track(CreateIdMapAsync());

    public Task<IRunJournal> OpenJournalAsync() => Track(CreateJournalAsync());

    public Task<IMigrationIndex> OpenIndexAsync() => Track(CreateIndexAsync());

    private async Task<T> Track<T>(Task<T> opening)
    {
        var store = await opening;
        if (store is IAsyncDisposable disposable)
        {
            _opened.Add(disposable);
        }

        return store;
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>The embedded default in a temporary folder.</summary>
public sealed class LocalStoreSet : StoreSet
{
    private readonly string _root = Directory.CreateTempSubdirectory("flit-contract-").FullName;

    public override IStagingStore Staging(string area) => new FileStagingStore(Path.Combine(_root, "staging", area));

    public override IMigrationStateStore State() => new FileMigrationState(Path.Combine(_root, "state"));

    public override IApprovalStore Approvals() => new FileMigrationState(Path.Combine(_root, "state"));

    protected override async Task<IIdMap> CreateIdMapAsync() => await SqliteIdMap.OpenAsync(Path.Combine(_root, "idmap.db"), CancellationToken.None);

    protected override async Task<IRunJournal> CreateJournalAsync() => await SqliteRunJournal.OpenAsync(Path.Combine(_root, "journal.db"), CancellationToken.None);

    protected override async Task<IMigrationIndex> CreateIndexAsync() => await SqliteMigrationIndex.OpenAsync(Path.Combine(_root, "index.db"), CancellationToken.None);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}

/// <summary>The Azure adapters on Azurite: a container and a table prefix of the test's own, so tests never meet.</summary>
public sealed class AzureStoreSet(AzuriteServer azurite) : StoreSet
{
    private readonly AzureStorageOptions _options = new()
    {
        ConnectionString = azurite.ConnectionString,
        StagingContainer = "t" + Guid.NewGuid().ToString("N")[..20],
        TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12],
    };

    public AzureStorageOptions Options => _options;

    /// <summary>A new client pair each time: nothing is shared between "processes" but the account.</summary>
    private AzureTables Tables() => new(_options);

    public override IStagingStore Staging(string area) =>
        new BlobStagingStore(new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_options.StagingContainer), $"migrations/{area}");

    public override IMigrationStateStore State() => new TableMigrationState(Tables(), new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_options.StagingContainer));

    public override IApprovalStore Approvals() => new TableApprovalStore(Tables());

    protected override Task<IIdMap> CreateIdMapAsync() => Task.FromResult<IIdMap>(new TableIdMap(Tables()));

    protected override Task<IRunJournal> CreateJournalAsync() => Task.FromResult<IRunJournal>(new TableRunJournal(Tables(), new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_options.StagingContainer)));

    protected override Task<IMigrationIndex> CreateIndexAsync() => Task.FromResult<IMigrationIndex>(new TableMigrationIndex(Tables()));
}

/// <summary>One Azurite for a test class.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public AzuriteServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
