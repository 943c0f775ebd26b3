using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Flit.Core.Ports;

namespace Flit.Storage.Azure;

/// <summary>
/// The journal of completed activities on Table Storage: PartitionKey = run id, RowKey = sequence (zero-padded, so a
/// partition reads back in order). An append inserts, so appending a (run, sequence) twice is refused by the service.
/// </summary>
public sealed class TableRunJournal(AzureTables tables) : IRunJournal
{
    public const string TableName = "journal";

    public async Task<IReadOnlyDictionary<int, JournalEntry>> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var entries = new SortedDictionary<int, JournalEntry>();
        await foreach (var e in table.QueryAsync<TableEntity>($"PartitionKey eq '{TableKeys.Quote(TableKeys.Escape(runId))}'", maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            var sequence = int.Parse(e.RowKey, CultureInfo.InvariantCulture);
            entries[sequence] = new JournalEntry(runId, sequence, e.GetString(nameof(JournalEntry.Activity)), e.GetString(nameof(JournalEntry.InputHash)),
                LongText.Read(e, nameof(JournalEntry.OutputJson)),
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
        LongText.Write(entity, nameof(JournalEntry.OutputJson), entry.OutputJson);
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw new InvalidOperationException($"Run {entry.RunId} already has journal entry {entry.Sequence}: the workflow scheduled the same step twice.", e);
        }
    }
}
