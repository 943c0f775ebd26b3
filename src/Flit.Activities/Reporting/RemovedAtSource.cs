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
/// and the ID map is streamed page by page, so memory does not hold the rows' ids.
/// </summary>
public sealed class RemovedAtSource
{
    /// <summary>Records listed in all; the counts are exact.</summary>
    internal const int Listed = 1000;

    private readonly HashSet<UInt128> _read = [];

    /// <summary>A row of the pass, whatever became of it.</summary>
    public void Read(string sourceObject, string sourceId) => _read.Add(Key(sourceObject, sourceId));

    /// <summary>Per object, the migration's records whose rows were not read.</summary>
    public async Task<IReadOnlyList<RemovedRecords>> FindAsync(IIdMap idMap, string migrationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idMap);
        var counts = new SortedDictionary<string, (long Count, List<RemovedRecord> First)>(StringComparer.Ordinal);
        var listed = 0;
        await foreach (var entry in idMap.ListAsync(migrationId, null, cancellationToken))
        {
            if (_read.Contains(Key(entry.ObjectType, entry.SourceId)))
            {
                continue;
            }

            var (count, first) = counts.TryGetValue(entry.ObjectType, out var seen) ? seen : (0, new List<RemovedRecord>());
            if (listed < Listed)
            {
                first.Add(new RemovedRecord(entry.SourceId, entry.ExternalId, entry.DestinationId));
                listed++;
            }

            counts[entry.ObjectType] = (count + 1, first);
        }

        return [.. counts.Select(c => new RemovedRecords(c.Key, c.Value.Count, c.Value.First))];
    }

    private static UInt128 Key(string sourceObject, string sourceId) =>
        XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(sourceObject + "\0" + sourceId));
}
