using System.Runtime.CompilerServices;
using Flit.Activities.Loading;
using Flit.Core.Ports;

namespace Flit.Activities.Reporting;

/// <summary>Per-object counts of where source records ended.</summary>
/// <remarks>Source = Created + Updated + Unchanged + Failed + Skipped + Conflicts: every record read is in exactly one of
/// them. Conflicts are records someone edited in the destination since an earlier run wrote them: left as they are.</remarks>
public sealed record ObjectCounts(string SourceObject, string TargetModel, long Source, long Created, long Updated, long Failed, long Skipped, long Unchanged = 0, long Conflicts = 0);

/// <summary>
/// Where the rows of one object of the export ended, whichever entries loaded them (FOIA requests and other cases are
/// rows of one table): the count the audit's inventory has, accounted for. Records computed from the rows (companies
/// from contacts' organisation) are extra and counted apart, as <see cref="Derived"/>.
/// </summary>
public sealed record SourceAccounting(string LayoutObject, long Rows, long Created, long Updated, long Unchanged, long Failed, long Skipped, long Derived, long Conflicts = 0);

/// <summary>
/// Every record's final fate across the first pass and the retry pass (a retried record's retry outcome wins), streamed
/// from the batch outcome files one file at a time: reconciling or reporting a run of millions of records holds one
/// batch's outcomes, plus the rows the retry pass took (to skip their first-pass outcomes), never the whole run.
/// </summary>
public static class RunOutcomes
{
    /// <summary>The final outcome of every row under <paramref name="outcomes"/> (a run's, see
    /// <see cref="RunPaths.Outcomes(string, string)"/>): first-pass files in batch order, then the retry files.</summary>
    public static async IAsyncEnumerable<(BatchOutcomeFile Batch, RecordOutcome Record)> FinalAsync(
        IStagingStore store,
        string outcomes,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (firstPass, retries) = await FilesAsync(store, outcomes, cancellationToken);

        // A row is its object, id and place: a retry's outcome replaces the first pass's for the same row, while two
        // rows that share an id (a repeat the partition set aside) stay two.
        var retried = new HashSet<(string Object, string Id, string File, long Line)>();
        foreach (var path in retries)
        {
            var file = await store.ReadJsonAsync<BatchOutcomeFile>(path, cancellationToken);
            retried.UnionWith(file.Records.Select(r => (file.SourceObject, r.SourceId, r.File, r.Line)));
        }

        foreach (var path in firstPass.Concat(retries))
        {
            var file = await store.ReadJsonAsync<BatchOutcomeFile>(path, cancellationToken);
            foreach (var record in file.Records)
            {
                if (file.IsRetry || !retried.Contains((file.SourceObject, record.SourceId, record.File, record.Line)))
                {
                    yield return (file, record);
                }
            }
        }
    }

    /// <summary>Every warning of the run, file by file.</summary>
    public static async IAsyncEnumerable<RecordWarning> WarningsAsync(IStagingStore store, string outcomes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (firstPass, retries) = await FilesAsync(store, outcomes, cancellationToken);
        foreach (var path in firstPass.Concat(retries))
        {
            foreach (var warning in (await store.ReadJsonAsync<BatchOutcomeFile>(path, cancellationToken)).Warnings)
            {
                yield return warning;
            }
        }
    }

    /// <summary>The outcome files, first-pass ones and retry ones, each in batch order (deterministic).</summary>
    private static async Task<(List<string> FirstPass, List<string> Retries)> FilesAsync(IStagingStore store, string outcomes, CancellationToken cancellationToken)
    {
        var firstPass = new List<string>();
        var retries = new List<string>();
        await foreach (var item in store.ListAsync(outcomes, cancellationToken))
        {
            (Path.GetFileName(item.Path).StartsWith("retry-", StringComparison.Ordinal) ? retries : firstPass).Add(item.Path);
        }

        firstPass.Sort(StringComparer.Ordinal);
        retries.Sort(StringComparer.Ordinal);
        return (firstPass, retries);
    }
}

/// <summary>Counts per object and per export object, added up as outcomes stream by.</summary>
public sealed class OutcomeTally
{
    /// <summary>One count per fate, then (per export object) the derived records.</summary>
    private static readonly int Fates = Enum.GetValues<RecordFate>().Length;

    private static readonly int DerivedIndex = Fates;

    private readonly Dictionary<(string Object, string Model, int Phase), long[]> _objects = [];
    private readonly Dictionary<string, long[]> _sources = new(StringComparer.Ordinal);

    public void Add(BatchOutcomeFile batch, RecordOutcome record)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(record);
        var fate = (int)record.Fate;
        Count(_objects, (batch.SourceObject, batch.TargetModel, batch.Phase), fate);
        var source = _sources.TryGetValue(batch.LayoutObject ?? batch.SourceObject, out var counts) ? counts : _sources[batch.LayoutObject ?? batch.SourceObject] = new long[Fates + 1];
        if (batch.Derived)
        {
            source[DerivedIndex]++;
        }
        else
        {
            source[fate]++;
        }
    }

    public IReadOnlyList<ObjectCounts> Counts() =>
        [.. _objects.OrderBy(o => o.Key.Phase).ThenBy(o => o.Key.Object, StringComparer.Ordinal).Select(o => new ObjectCounts(
            o.Key.Object, o.Key.Model, o.Value.Sum(), o.Value[(int)RecordFate.Created], o.Value[(int)RecordFate.Updated],
            o.Value[(int)RecordFate.Failed], o.Value[(int)RecordFate.Skipped], o.Value[(int)RecordFate.Unchanged], o.Value[(int)RecordFate.Conflict]))];

    /// <summary>Every row read, per object of the export.</summary>
    public IReadOnlyList<SourceAccounting> Accounting() =>
        [.. _sources.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new SourceAccounting(
            s.Key, s.Value[..Fates].Sum(), s.Value[(int)RecordFate.Created], s.Value[(int)RecordFate.Updated], s.Value[(int)RecordFate.Unchanged],
            s.Value[(int)RecordFate.Failed], s.Value[(int)RecordFate.Skipped], s.Value[DerivedIndex], s.Value[(int)RecordFate.Conflict]))];

    private static void Count<TKey>(Dictionary<TKey, long[]> counts, TKey key, int fate)
        where TKey : notnull
    {
        if (!counts.TryGetValue(key, out var row))
        {
            counts[key] = row = new long[Fates];
        }

        row[fate]++;
    }
}
