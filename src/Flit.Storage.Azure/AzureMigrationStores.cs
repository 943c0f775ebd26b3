using Azure.Storage.Blobs;
using Flit.Core.Ports;

namespace Flit.Storage.Azure;

/// <summary>
/// Every store of a migration in one Azure Storage account, as both hosts lay them out: staging under
/// <c>migrations/{id}/</c> in the staging container, the ID map, journal, state, approvals and index in tables.
/// </summary>
public sealed class AzureMigrationStores
{
    private readonly BlobContainerClient _container;
    private readonly AzureTables _tables;

    public AzureMigrationStores(AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (blobs, tables) = options.CreateClients();
        Blobs = blobs;
        _container = blobs.GetBlobContainerClient(options.StagingContainer);
        _tables = new AzureTables(tables, options.TablePrefix);
        State = new TableMigrationState(_tables, _container);
        Approvals = new TableApprovalStore(_tables);
        Index = new TableMigrationIndex(_tables);
        Description = $"Azure Storage account {_container.AccountName} (container {_container.Name}, tables {options.TablePrefix}*)";
    }

    /// <summary>The account's blob service (for containers other than staging: the drop, quarantine).</summary>
    public BlobServiceClient Blobs { get; }

    public string Description { get; }

    public IMigrationStateStore State { get; }

    public IApprovalStore Approvals { get; }

    /// <summary>An ID map (its keys carry the migration); each keeps what it learns of partition sizes for its run.</summary>
    public IIdMap OpenIdMap() => new TableIdMap(_tables);

    public IRunJournal OpenJournal() => new TableRunJournal(_tables, _container);

    public IMigrationIndex Index { get; }

    public IStagingStore Staging(string migrationId) => new BlobStagingStore(_container, Prefix(migrationId));

    /// <summary>The address of a staged item, for a person to open.</summary>
    public string Where(string migrationId, string path) => _container.GetBlobClient($"{Prefix(migrationId)}/{StagingPath.Check(path)}").Uri.ToString();

    private static string Prefix(string migrationId) => $"migrations/{migrationId}";
}
