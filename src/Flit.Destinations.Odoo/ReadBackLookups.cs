using System.Collections.Concurrent;

namespace Flit.Destinations.Odoo;

/// <summary>
/// The last xmlid lookup of a read-back, per model. Reconciliation checks a chunk's presence and then reads the fields of
/// a sample of the same records: the sample's records are read by the ids the presence check just found (a record
/// gone since is left out by read() itself), instead of looking their xmlids up again. Only the last chunk is kept, until the model is written.
/// </summary>
internal sealed class ReadBackLookups
{
    private readonly ConcurrentDictionary<string, (HashSet<string> LookedUp, Dictionary<string, long> Found)> _last = new(StringComparer.Ordinal);

    public void Remember(string model, IEnumerable<string> lookedUp, Dictionary<string, long> found) =>
        _last[model] = (lookedUp.ToHashSet(StringComparer.Ordinal), found);

    /// <summary>The records found under these xmlids, when the last lookup of the model covered all of them.</summary>
    public Dictionary<string, long>? Recall(string model, IReadOnlyCollection<string> externalIds)
    {
        if (!_last.TryGetValue(model, out var last) || !externalIds.All(last.LookedUp.Contains))
        {
            return null;
        }

        return externalIds.Where(last.Found.ContainsKey).Distinct(StringComparer.Ordinal).ToDictionary(id => id, id => last.Found[id], StringComparer.Ordinal);
    }

    /// <summary>Forgets the model's lookup: a write may have created what it did not find.</summary>
    public void Forget(string model) => _last.TryRemove(model, out _);

    public void Clear() => _last.Clear();
}
