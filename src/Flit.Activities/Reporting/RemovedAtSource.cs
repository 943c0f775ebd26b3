using System.IO.Hashing;
using System.Text;
using Flit.Core.Ports;

namespace Flit.Activities.Reporting;

/// <summary>Records of one object the migration wrote whose rows a newer export no longer has: reported, never deleted
/// in the destination. The first of them are listed (<see cref="Count"/> in all).</summary>
public sealed record RemovedRecords(string SourceObject, long Count, IReadOnlyList<RemovedRecord> First);

/// <summary>One record removed at the source: its source id and the destination record it became, left as it is.</summary>
public sealed record RemovedRecord(string SourceId, string ExternalId, string DestinationId);

/// <summary>
/// Finds what a delta pass's export no longer has: every ID-map entry of the migration whose (object, source id) no
/// row of the pass read. The rows read are kept as 128-bit hashes (16 bytes a row, about 40 MB for a million rows),
/// and the ID map's source ids are streamed page by page, so memory does not hold the rows' ids; only the records
/// listed are looked up whole.
/// </summary>
public sealed class RemovedAtSource
{
    /// <summary>Records listed in all; the counts are exact.</summary>
    internal const int Listed = 1000;

    private readonly HashSet<UInt128> _read = [];

    /// <summary>A row of the pass, whatever became of it.</summary>
    public void Read(string sourceObject, string sourceId) => _read.Add(Key(sourceObject, sourceId));

    /// <summary>Per object of the spec, the migration's records whose rows were not read.</summary>
    public async Task<IReadOnlyList<RemovedRecords>> FindAsync(IIdMap idMap, string migrationId, IEnumerable<string> objectTypes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idMap);
        ArgumentNullException.ThrowIfNull(objectTypes);
        var removed = new List<RemovedRecords>();
        var listed = 0;
        foreach (var objectType in objectTypes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            long count = 0;
            var first = new List<string>();
            await foreach (var (sourceId, _) in idMap.ListSourceDigestsAsync(migrationId, objectType, cancellationToken))
            {
                if (!_read.Contains(Key(objectType, sourceId)))
                {
                    count++;
                    if (listed++ < Listed)
                    {
                        first.Add(sourceId);
                    }
                }
            }

            if (count > 0)
            {
                var entries = await idMap.LookupAsync(migrationId, objectType, first, cancellationToken);
                removed.Add(new RemovedRecords(objectType, count, [.. first.Select(id => entries[id]).Select(e => new RemovedRecord(e.SourceId, e.ExternalId, e.DestinationId))]));
            }
        }

        return removed;
    }

    private static UInt128 Key(string sourceObject, string sourceId) =>
        XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(sourceObject + "\0" + sourceId));
}
