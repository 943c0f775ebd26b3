using Flit.Core.Destinations;
using Flit.Core.Ports;

namespace Flit.Activities.Loading;

/// <summary>
/// The ID-map entries of the parents a set of records links to: one lookup per object a parent can be (each of
/// a reference's <see cref="RecordReference.Objects"/>), never one per record.
/// </summary>
public sealed class ParentLookup
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, IdMapEntry>> _entries;

    private ParentLookup(Dictionary<string, IReadOnlyDictionary<string, IdMapEntry>> entries) => _entries = entries;

    /// <summary>The entries by object, then source id (what <see cref="ReferenceResolver"/> takes).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IdMapEntry>> ByObject => _entries;

    public static async Task<ParentLookup> LoadAsync(IIdMap idMap, string migrationId, IEnumerable<DestinationRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idMap);
        ArgumentNullException.ThrowIfNull(records);
        var wanted = records
            .SelectMany(r => r.References)
            .SelectMany(r => r.Objects.Select(o => (Object: o, r.SourceId)))
            .GroupBy(r => r.Object, StringComparer.Ordinal);
        var entries = new Dictionary<string, IReadOnlyDictionary<string, IdMapEntry>>(StringComparer.Ordinal);
        foreach (var group in wanted)
        {
            entries[group.Key] = await idMap.LookupAsync(migrationId, group.Key, [.. group.Select(r => r.SourceId).Distinct(StringComparer.Ordinal)], cancellationToken);
        }

        return new ParentLookup(entries);
    }

    /// <summary>The parent a reference points at, in whichever of its objects it was loaded, or null.</summary>
    public IdMapEntry? Find(RecordReference reference) => Find(_entries, reference);

    public static IdMapEntry? Find(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IdMapEntry>> entries, RecordReference reference)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(reference);
        foreach (var candidate in reference.Objects)
        {
            if (entries.TryGetValue(candidate, out var ids) && ids.TryGetValue(reference.SourceId, out var entry))
            {
                return entry;
            }
        }

        return null;
    }
}
