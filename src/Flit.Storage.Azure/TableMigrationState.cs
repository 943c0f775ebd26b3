using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Flit.Core.Ports;

namespace Flit.Storage.Azure;

/// <summary>A migration's state documents on Table Storage: PartitionKey = migration, RowKey = document; each write
/// replaces the entity whole, so a reader sees one version of a document.</summary>
public sealed class TableMigrationState(AzureTables tables) : IMigrationStateStore
{
    public const string TableName = "state";

    public async Task<string?> ReadAsync(string migrationId, string document, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(migrationId), TableKeys.Escape(document), cancellationToken: cancellationToken);
        return found.HasValue ? LongText.Read(found.Value!, "Json") : null;
    }

    public async Task WriteAsync(string migrationId, string document, string json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        var table = await tables.GetAsync(TableName, cancellationToken);
        var entity = new TableEntity(TableKeys.Escape(migrationId), TableKeys.Escape(document));
        LongText.Write(entity, "Json", json);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }
}

/// <summary>Approvals on Table Storage, every one kept: PartitionKey = migration, RowKey = the time inverted (newest
/// first), so the latest is the partition's first entity and the table is the migration's approval history.</summary>
public sealed class TableApprovalStore(AzureTables tables) : IApprovalStore
{
    public const string TableName = "approvals";

    public async Task<ApprovalRecord?> GetAsync(string migrationId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await foreach (var e in table.QueryAsync<TableEntity>($"PartitionKey eq '{TableKeys.Quote(TableKeys.Escape(migrationId))}'", maxPerPage: 1, cancellationToken: cancellationToken))
        {
            return new ApprovalRecord(migrationId, e.GetString(nameof(ApprovalRecord.SpecHash)), e.GetString(nameof(ApprovalRecord.ApprovedBy)),
                DateTimeOffset.Parse(e.GetString(nameof(ApprovalRecord.ApprovedAt)), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), e.GetString(nameof(ApprovalRecord.Comment)));
        }

        return null;
    }

    public async Task RecordAsync(ApprovalRecord approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var table = await tables.GetAsync(TableName, cancellationToken);
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - approval.ApprovedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        await table.UpsertEntityAsync(new TableEntity(TableKeys.Escape(approval.MigrationId), $"{inverted}-{TableKeys.Escape(approval.SpecHash)}")
        {
            [nameof(ApprovalRecord.SpecHash)] = approval.SpecHash,
            [nameof(ApprovalRecord.ApprovedBy)] = approval.ApprovedBy,
            [nameof(ApprovalRecord.ApprovedAt)] = approval.ApprovedAt.ToString("O", CultureInfo.InvariantCulture),
            [nameof(ApprovalRecord.Comment)] = approval.Comment,
        }, TableUpdateMode.Replace, cancellationToken);
    }
}

/// <summary>The run index on Table Storage: PartitionKey = tenant, RowKey = migration, so a tenant's migrations are one
/// partition query and no query reaches another tenant's.</summary>
public sealed class TableMigrationIndex(AzureTables tables) : IMigrationIndex
{
    public const string TableName = "migrations";

    public async Task RecordAsync(MigrationIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(TableKeys.Escape(entry.Tenant), TableKeys.Escape(entry.MigrationId))
        {
            [nameof(MigrationIndexEntry.Pair)] = entry.Pair,
            [nameof(MigrationIndexEntry.State)] = entry.State,
            [nameof(MigrationIndexEntry.RunId)] = entry.RunId,
            [nameof(MigrationIndexEntry.UpdatedAt)] = entry.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<MigrationIndexEntry?> GetAsync(string tenant, string migrationId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(tenant), TableKeys.Escape(migrationId), cancellationToken: cancellationToken);
        return found.HasValue ? Read(found.Value!) : null;
    }

    public async IAsyncEnumerable<MigrationIndexEntry> ListAsync(string tenant, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await foreach (var e in table.QueryAsync<TableEntity>($"PartitionKey eq '{TableKeys.Quote(TableKeys.Escape(tenant))}'", maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return Read(e);
        }
    }

    private static MigrationIndexEntry Read(TableEntity e) => new(
        TableKeys.Unescape(e.PartitionKey), TableKeys.Unescape(e.RowKey), e.GetString(nameof(MigrationIndexEntry.Pair)), e.GetString(nameof(MigrationIndexEntry.State)),
        e.GetString(nameof(MigrationIndexEntry.RunId)),
        DateTimeOffset.Parse(e.GetString(nameof(MigrationIndexEntry.UpdatedAt)), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
}
