using System.Text.Json;
using Flit.Activities.Loading;
using Flit.Core.Ports;

namespace Flit.Activities.Reporting;

/// <summary>Per-object counts of where source records ended.</summary>
/// <remarks>Source = Created + Updated + Unchanged + Failed + Skipped: every record read is in exactly one of them.</remarks>
public sealed record ObjectCounts(string SourceObject, string TargetModel, long Source, long Created, long Updated, long Failed, long Skipped, long Unchanged = 0);

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
        var final = new Dictionary<(string Object, string Id), (BatchOutcomeFile, RecordOutcome)>();
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
                final[(file.SourceObject, record.SourceId)] = (file, record);
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
