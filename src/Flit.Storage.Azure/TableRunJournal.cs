using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Flit.Core.Ports;

namespace Flit.Storage.Azure;

/// <summary>
/// The journal of completed activities on Table Storage: PartitionKey = run id, RowKey = sequence (zero-padded, so a
/// partition reads back in order). An append inserts, so appending a (run, sequence) twice is refused by the service.
/// An output too large for its entity (a load plan of thousands of batches) goes to a blob of its own first, and the
/// entity names it — as Durable's Azure Storage provider offloads large messages.
/// </summary>
/// <param name="tables">The account's tables.</param>
/// <param name="spill">Where outputs over <see cref="LongText.InlineLimit"/> characters go (<c>journal/…</c> blobs).</param>
public sealed class TableRunJournal(AzureTables tables, BlobContainerClient spill) : IRunJournal
{
    public const string TableName = "journal";

    private static readonly string OutputBlob = LongText.BlobProperty(nameof(JournalEntry.OutputJson));

    public async Task<IReadOnlyDictionary<int, JournalEntry>> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var entries = new SortedDictionary<int, JournalEntry>();
        await foreach (var e in table.QueryAsync<TableEntity>($"PartitionKey eq '{TableKeys.Quote(TableKeys.Escape(runId))}'", maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            var sequence = int.Parse(e.RowKey, CultureInfo.InvariantCulture);
            entries[sequence] = new JournalEntry(runId, sequence, e.GetString(nameof(JournalEntry.Activity)), e.GetString(nameof(JournalEntry.InputHash)),
                await ReadOutputAsync(e, cancellationToken),
                DateTimeOffset.Parse(e.GetString(nameof(JournalEntry.CompletedAt)), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
        }

        return entries;
    }

    public async Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var table = await tables.GetAsync(TableName, cancellationToken);
        var entity = new TableEntity(TableKeys.Escape(entry.RunId), entry.Sequence.ToString("D10", CultureInfo.InvariantCulture))
        {
            [nameof(JournalEntry.Activity)] = entry.Activity,
            [nameof(JournalEntry.InputHash)] = entry.InputHash,
            [nameof(JournalEntry.CompletedAt)] = entry.CompletedAt.ToString("O", CultureInfo.InvariantCulture),
        };
        // A name of its own: a refused second append must not touch the first one's output.
        var spilled = await LongText.PutAsync(entity, nameof(JournalEntry.OutputJson), entry.OutputJson, spill,
            () => $"journal/{TableKeys.Escape(entry.RunId)}/{entry.Sequence:D10}-{Guid.NewGuid():N}.json", overwrite: false, cancellationToken);

        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The SDK retries an insert whose answer was lost: the entry there may be this very one.
            var stored = (await table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken)).Value;
            if (stored.GetString(nameof(JournalEntry.InputHash)) == entry.InputHash && stored.GetString(nameof(JournalEntry.Activity)) == entry.Activity
                && (spilled is null ? stored.GetString(OutputBlob) is null && LongText.Read(stored, nameof(JournalEntry.OutputJson)) == entry.OutputJson : stored.GetString(OutputBlob) == spilled.Name))
            {
                return;
            }

            if (spilled is not null)
            {
                await spilled.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            }

            throw new InvalidOperationException($"Run {entry.RunId} already has journal entry {entry.Sequence}: the workflow scheduled the same step twice.", e);
        }
    }

    private Task<string> ReadOutputAsync(TableEntity entity, CancellationToken cancellationToken) =>
        LongText.GetAsync(entity, nameof(JournalEntry.OutputJson), spill, cancellationToken);
}
