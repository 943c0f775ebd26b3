using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Flit.Core.Ports;

namespace Flit.Storage.Azure;

/// <summary>A migration's state documents on Table Storage: PartitionKey = migration, RowKey = document; each write
/// replaces the entity whole, so a reader sees one version of a document. A document too large for its entity (a
/// delta window of very many passes) is written to a blob first, which the entity then names.</summary>
/// <param name="tables">The account's tables.</param>
/// <param name="spill">Where documents over <see cref="LongText.InlineLimit"/> characters go (<c>state/…</c> blobs).</param>
public sealed class TableMigrationState(AzureTables tables, BlobContainerClient spill) : IMigrationStateStore
{
    public const string TableName = "state";

    public async Task<string?> ReadAsync(string migrationId, string document, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(migrationId), TableKeys.Escape(document), cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        return await LongText.GetAsync(found.Value!, "Json", spill, cancellationToken);
    }

    public async Task WriteAsync(string migrationId, string document, string json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        var table = await tables.GetAsync(TableName, cancellationToken);
        var entity = new TableEntity(TableKeys.Escape(migrationId), TableKeys.Escape(document));
        // One blob per document, replaced whole by the upload: a reader of the entity gets the old or the new.
        await LongText.PutAsync(entity, "Json", json, spill, () => $"state/{TableKeys.Escape(migrationId)}/{TableKeys.Escape(document)}.json", overwrite: true, cancellationToken);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }
}

/// <summary>Approvals on Table Storage: PartitionKey = migration. The row <c>latest</c> is the last one recorded (what
/// the gate reads, whatever the approvals' own clocks say); every approval is also kept as a row of its own, keyed by
/// its time and spec, as the migration's approval history.</summary>
public sealed class TableApprovalStore(AzureTables tables) : IApprovalStore
{
    public const string TableName = "approvals";

    private const string Latest = "latest";

    public async Task<ApprovalRecord?> GetAsync(string migrationId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(migrationId), Latest, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        var e = found.Value!;
        return new ApprovalRecord(migrationId, e.GetString(nameof(ApprovalRecord.SpecHash)), e.GetString(nameof(ApprovalRecord.ApprovedBy)),
            DateTimeOffset.Parse(e.GetString(nameof(ApprovalRecord.ApprovedAt)), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), e.GetString(nameof(ApprovalRecord.Comment)));
    }

    /// <summary>The history row, then the latest: one transaction, so the two never disagree.</summary>
    public async Task RecordAsync(ApprovalRecord approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var table = await tables.GetAsync(TableName, cancellationToken);
        var partition = TableKeys.Escape(approval.MigrationId);
        var history = $"at-{approval.ApprovedAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}-{TableKeys.Escape(approval.SpecHash)}";
        await table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(partition, history, approval)),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(partition, Latest, approval)),
        ], cancellationToken);
    }

    private static TableEntity Entity(string partition, string row, ApprovalRecord approval) => new(partition, row)
    {
        [nameof(ApprovalRecord.SpecHash)] = approval.SpecHash,
        [nameof(ApprovalRecord.ApprovedBy)] = approval.ApprovedBy,
        [nameof(ApprovalRecord.ApprovedAt)] = approval.ApprovedAt.ToString("O", CultureInfo.InvariantCulture),
        [nameof(ApprovalRecord.Comment)] = approval.Comment,
    };
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
