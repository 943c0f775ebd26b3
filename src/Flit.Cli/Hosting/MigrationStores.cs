using Flit.Core.Ports;
using Flit.Storage.Azure;
using Flit.Storage.Local;

namespace Flit.Cli.Hosting;

/// <summary>
/// Where a command keeps a migration's staging, ID map, journal, state, approvals and the run index: the embedded
/// default (files and SQLite in the workspace) or an Azure Storage account (<c>--store azure</c>: blobs and tables,
/// the stores the Functions host uses). The same engine runs on either.
/// </summary>
public abstract class MigrationStores
{
    /// <summary>What <c>--store</c> names: local or azure.</summary>
    public abstract string Kind { get; }

    /// <summary>Where they are, for messages: the workspace folder, or the account and container.</summary>
    public abstract string Description { get; }

    public abstract IMigrationStateStore State { get; }

    public abstract IApprovalStore Approvals { get; }

    /// <summary>The migration's staging area.</summary>
    public abstract IStagingStore Staging(string migrationId);

    /// <summary>Where a staged item is, for a person to open: a file path, or the blob's URL.</summary>
    public abstract string Where(string migrationId, string path);

    public abstract Task<IIdMap> OpenIdMapAsync(string migrationId, CancellationToken cancellationToken);

    public abstract Task<IRunJournal> OpenJournalAsync(string migrationId, CancellationToken cancellationToken);

    public abstract Task<IMigrationIndex> OpenIndexAsync(CancellationToken cancellationToken);

    /// <summary>The embedded default: everything under the workspace folder.</summary>
    public static MigrationStores Local(Workspace workspace) => new LocalStores(workspace);

    /// <summary>An Azure Storage account (the options are checked here, before any command runs).</summary>
    public static MigrationStores Azure(AzureStorageOptions options) => new AzureStores(options);

    private sealed class LocalStores(Workspace workspace) : MigrationStores
    {
        private readonly FileMigrationState _state = new(Path.Combine(workspace.Root, "migrations"));

        public override string Kind => "local";

        public override string Description => workspace.Root;

        public override IMigrationStateStore State => _state;

        public override IApprovalStore Approvals => _state;

        public override IStagingStore Staging(string migrationId) => new FileStagingStore(workspace.StagingRoot(migrationId));

        public override string Where(string migrationId, string path) => new FileStagingStore(workspace.StagingRoot(migrationId)).LocalPath(path);

        public override async Task<IIdMap> OpenIdMapAsync(string migrationId, CancellationToken cancellationToken) =>
            await SqliteIdMap.OpenAsync(workspace.IdMapPath(migrationId), cancellationToken);

        public override async Task<IRunJournal> OpenJournalAsync(string migrationId, CancellationToken cancellationToken) =>
            await SqliteRunJournal.OpenAsync(workspace.JournalPath(migrationId), cancellationToken);

        public override async Task<IMigrationIndex> OpenIndexAsync(CancellationToken cancellationToken) =>
            await SqliteMigrationIndex.OpenAsync(Path.Combine(workspace.Root, "index.db"), cancellationToken);
    }

    private sealed class AzureStores(AzureStorageOptions options) : MigrationStores
    {
        private readonly AzureMigrationStores _stores = new(options);

        public override string Kind => "azure";

        public override string Description => _stores.Description;

        public override IMigrationStateStore State => _stores.State;

        public override IApprovalStore Approvals => _stores.Approvals;

        public override IStagingStore Staging(string migrationId) => _stores.Staging(migrationId);

        public override string Where(string migrationId, string path) => _stores.Where(migrationId, path);

        public override Task<IIdMap> OpenIdMapAsync(string migrationId, CancellationToken cancellationToken) => Task.FromResult(_stores.OpenIdMap());

        public override Task<IRunJournal> OpenJournalAsync(string migrationId, CancellationToken cancellationToken) => Task.FromResult(_stores.OpenJournal());

        public override Task<IMigrationIndex> OpenIndexAsync(CancellationToken cancellationToken) => Task.FromResult(_stores.Index);
    }
}
