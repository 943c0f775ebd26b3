using System.Text.Json;
using Flit.Activities.Loading;
using Flit.Core.Ports;

namespace Flit.Activities.Reporting;

/// <summary>Per-object counts of where source records ended.</summary>
/// <remarks>Source = Created + Updated + Unchanged + Failed + Skipped: every record read is in exactly one of them.</remarks>
public sealed record ObjectCounts(string SourceObject, string TargetModel, long Source, long Created, long Updated, long Failed, long Skipped, long Unchanged = 0);

/// <summary>
/// Where the rows of one object of the export ended, whichever entries loaded them (FOIA requests and other cases are
/// rows of one table): the count the audit's inventory has, accounted for. Records computed from the rows (companies
/// from contacts' organisation) are extra and counted apart, as <see cref="Derived"/>.
/// </summary>
public sealed record SourceAccounting(string LayoutObject, long Rows, long Created, long Updated, long Unchanged, long Failed, long Skipped, long Derived);

/// <summary>
/// Every record's final fate across the first pass and the retry pass (a retried record's retry outcome wins),
/// read from the batch outcome files. This is what makes "nothing lost" checkable: each source record that
/// entered a batch is loaded, skipped by rule, or failed with its reason.
/// </summary>
public sealed class RunOutcomes
{
    private RunOutcomes(IReadOnlyList<(BatchOutcomeFile Batch, RecordOutcome Record)> final, IReadOnlyList<RecordWarning> warnings)
    {
        Final = final;
        Warnings = warnings;
    }

    public IReadOnlyList<(BatchOutcomeFile Batch, RecordOutcome Record)> Final { get; }

    public IReadOnlyList<RecordWarning> Warnings { get; }

    /// <summary>Reads the outcome files under <paramref name="outcomes"/> (a run's, see <see cref="RunPaths.Outcomes(string, string)"/>).</summary>
    public static async Task<RunOutcomes> ReadAsync(IStagingStore store, string outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        // A row is its object, id and place: a retry's outcome replaces the first pass's for the same row, while two
        // rows that share an id (a repeat the partition set aside) stay two.
        var final = new Dictionary<(string Object, string Id, string File, long Line), (BatchOutcomeFile, RecordOutcome)>();
        var files = new List<BatchOutcomeFile>();
        await foreach (var item in store.ListAsync(outcomes, cancellationToken))
        {
            files.Add(await store.ReadJsonAsync<BatchOutcomeFile>(item.Path, cancellationToken));
        }

        // First-pass outcomes first, then retries over them; ordinal order keeps the result deterministic.
        foreach (var file in files.OrderBy(f => f.IsRetry).ThenBy(f => f.BatchId, StringComparer.Ordinal))
        {
            foreach (var record in file.Records)
            {
                final[(file.SourceObject, record.SourceId, record.File, record.Line)] = (file, record);
            }
        }

        var ordered = final.Values
            .OrderBy(v => v.Item1.Phase)
            .ThenBy(v => v.Item1.SourceObject, StringComparer.Ordinal)
            .ThenBy(v => v.Item2.File, StringComparer.Ordinal)
            .ThenBy(v => v.Item2.Line)
            .ToList();
        var warnings = files.OrderBy(f => f.BatchId, StringComparer.Ordinal).SelectMany(f => f.Warnings).ToList();
        return new RunOutcomes(ordered, warnings);
    }

    /// <summary>Every row read, per object of the export.</summary>
    public IReadOnlyList<SourceAccounting> Accounting() =>
        [.. Final
            .GroupBy(f => f.Batch.LayoutObject ?? f.Batch.SourceObject, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var rows = g.Where(f => !f.Batch.Derived).ToList();
                return new SourceAccounting(
                    g.Key,
                    rows.Count,
                    rows.LongCount(f => f.Record.Fate == RecordFate.Created),
                    rows.LongCount(f => f.Record.Fate == RecordFate.Updated),
                    rows.LongCount(f => f.Record.Fate == RecordFate.Unchanged),
                    rows.LongCount(f => f.Record.Fate == RecordFate.Failed),
                    rows.LongCount(f => f.Record.Fate == RecordFate.Skipped),
                    g.LongCount(f => f.Batch.Derived));
            })];

    public IReadOnlyList<ObjectCounts> Counts() =>
        [.. Final
            .GroupBy(f => (f.Batch.SourceObject, f.Batch.TargetModel, f.Batch.Phase))
            .OrderBy(g => g.Key.Phase)
            .ThenBy(g => g.Key.SourceObject, StringComparer.Ordinal)
            .Select(g => new ObjectCounts(
                g.Key.SourceObject,
                g.Key.TargetModel,
                g.LongCount(),
                g.LongCount(f => f.Record.Fate == RecordFate.Created),
                g.LongCount(f => f.Record.Fate == RecordFate.Updated),
                g.LongCount(f => f.Record.Fate == RecordFate.Failed),
                g.LongCount(f => f.Record.Fate == RecordFate.Skipped),
                g.LongCount(f => f.Record.Fate == RecordFate.Unchanged)))];
}
