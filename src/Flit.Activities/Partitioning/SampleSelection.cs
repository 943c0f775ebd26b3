using Flit.Core.Mapping;
using Flit.Core.Records;

namespace Flit.Activities.Partitioning;

/// <summary>
/// A sample migration's slice: up to the sample size of each entry, spread over the whole export (not just its head)
/// and preferring children whose parents are in the slice, then closed over its links — every parent a chosen record
/// points at (and that parent's own parents) is in the sample too, wherever it sits in the export. So the sample
/// reports no missing parent that a full run would not. Only ids are held; records are read again to be written.
/// </summary>
internal sealed class SampleSelection
{
    private readonly Dictionary<string, HashSet<string>> _chosen = new(StringComparer.Ordinal);

    private SampleSelection()
    {
    }

    public static async Task<SampleSelection> ChooseAsync(IReadOnlyList<ObjectPlan> plans, Func<ObjectPlan, IAsyncEnumerable<SourceRecord>> read, int size)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(read);
        var selection = new SampleSelection();
        var wanted = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var plan in plans.OrderBy(p => p.Phase).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            var taken = selection.Ids(plan.Key);
            await foreach (var record in read(plan))
            {
                if (taken.Count >= size)
                {
                    break;
                }

                var linked = (plan.Parents?.Invoke(record) ?? []).Any(p => p.Object != plan.Key && selection._chosen.TryGetValue(p.Object, out var ids) && ids.Contains(p.Id));
                if ((linked || BatchWriter.StableHash(record.SourceId) % 4 == 0 || taken.Count < size / 4) && taken.Add(IdOf(plan, record)))
                {
                    selection.Want(plan, record, wanted);
                }
            }
        }

        // Closure: parents not in the slice yet are added, with their own parents, until nothing is missing. A parent
        // of an object that has several entries (FOIA requests are rows of the case table) is looked for in each.
        while (wanted.Values.Any(w => w.Count > 0))
        {
            var missing = wanted.ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);
            wanted = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var plan in plans.Where(p => Candidates(plans, missing.Keys).Contains(p.Key)))
            {
                var ids = SiblingsOf(plans, plan).SelectMany(k => missing.GetValueOrDefault(k) ?? []).ToHashSet(StringComparer.Ordinal);
                await foreach (var record in read(plan))
                {
                    if (ids.Contains(IdOf(plan, record)) && selection.Ids(plan.Key).Add(IdOf(plan, record)))
                    {
                        selection.Want(plan, record, wanted);
                    }
                }
            }
        }

        return selection;
    }

    /// <summary>The records of an entry that are in the sample (from a fresh read of its records).</summary>
    public IAsyncEnumerable<SourceRecord> Of(ObjectPlan plan, IAsyncEnumerable<SourceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var ids = _chosen.GetValueOrDefault(plan.Key);
        return ids is null ? AsyncEnumerable.Empty<SourceRecord>() : records.Where(r => ids.Remove(IdOf(plan, r)));
    }

    private HashSet<string> Ids(string key) =>
        _chosen.TryGetValue(key, out var ids) ? ids : _chosen[key] = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Notes the parents of a chosen record that the slice does not hold yet.</summary>
    private void Want(ObjectPlan plan, SourceRecord record, Dictionary<string, HashSet<string>> wanted)
    {
        foreach (var (parent, id, _) in plan.Parents?.Invoke(record) ?? [])
        {
            if (!(_chosen.TryGetValue(parent, out var ids) && ids.Contains(id)))
            {
                (wanted.TryGetValue(parent, out var set) ? set : wanted[parent] = new HashSet<string>(StringComparer.Ordinal)).Add(id);
            }
        }
    }

    private static string IdOf(ObjectPlan plan, SourceRecord record) => plan.DistinctBy?.Invoke(record) ?? record.SourceId;

    /// <summary>The entries that read the same export object as <paramref name="plan"/> (itself included).</summary>
    private static IEnumerable<string> SiblingsOf(IReadOnlyList<ObjectPlan> plans, ObjectPlan plan) =>
        plans.Where(p => p.SourceObject == plan.SourceObject && (p.DistinctBy is null) == (plan.DistinctBy is null)).Select(p => p.Key);

    private static HashSet<string> Candidates(IReadOnlyList<ObjectPlan> plans, IEnumerable<string> keys)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            foreach (var plan in plans.Where(p => p.Key == key))
            {
                result.UnionWith(SiblingsOf(plans, plan));
            }
        }

        return result;
    }
}
