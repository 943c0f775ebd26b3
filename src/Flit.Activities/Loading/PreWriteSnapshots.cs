using System.Text.Json;
using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Ports;

namespace Flit.Activities.Loading;

/// <summary>One stored snapshot: the records of a chunk that did not exist before the write, and the pre-images of those
/// that did; for records an earlier run wrote, also their ID-map entries from before this run's write (what undoing
/// this run alone — a delta pass — gives back).</summary>
public sealed record SnapshotFile(IReadOnlyList<string> Absent, IReadOnlyDictionary<string, PreImage> Existing, IReadOnlyDictionary<string, IdMapEntry>? Entries = null);

/// <summary>What a batch's snapshots of this run say about a record: whether it existed before the run first wrote it,
/// and which snapshot holds its pre-image.</summary>
public readonly record struct PriorState(bool Existed, string Path);

/// <summary>
/// The snapshots a load stores before it writes: per run and batch, so a resumed run finds what its first try stored
/// (the first snapshot of a record wins — after a crash the destination already holds the run's values), while a later
/// run of the migration takes fresh ones instead of trusting what the destination held days ago.
/// </summary>
public static class PreWriteSnapshots
{
    public static async Task<Dictionary<string, PriorState>> ReadBatchAsync(IStagingStore store, string migrationId, string runId, string batchId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var known = new Dictionary<string, PriorState>(StringComparer.Ordinal);
        await foreach (var item in store.ListAsync(RunPaths.Snapshots(migrationId, runId, batchId), cancellationToken))
        {
            var file = await ReadAsync(store, item.Path, cancellationToken);
            foreach (var id in file.Absent)
            {
                known.TryAdd(id, new PriorState(false, item.Path));
            }

            foreach (var id in file.Existing.Keys)
            {
                known.TryAdd(id, new PriorState(true, item.Path));
            }
        }

        return known;
    }

    /// <summary>Stores a snapshot of records not snapshotted before and returns their prior states.</summary>
    public static async Task<Dictionary<string, PriorState>> WriteAsync(
        IStagingStore store,
        string migrationId,
        string runId,
        string batchId,
        IReadOnlyCollection<string> externalIds,
        IReadOnlyDictionary<string, PreImage> existing,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, IdMapEntry>? entries = null)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        var path = $"{RunPaths.Snapshots(migrationId, runId, batchId)}/{CompiledMapping.SafeName(externalIds.Min(StringComparer.Ordinal)!, 80)}.json";
        var file = new SnapshotFile([.. externalIds.Where(id => !existing.ContainsKey(id)).Order(StringComparer.Ordinal)], existing, entries);
        await store.WriteJsonAsync(path, file, JsonDefaults.Compact, cancellationToken);
        return externalIds.ToDictionary(id => id, id => new PriorState(existing.ContainsKey(id), path), StringComparer.Ordinal);
    }

    public static async Task<SnapshotFile> ReadAsync(IStagingStore store, string path, CancellationToken cancellationToken)
    {
        var raw = await store.ReadJsonAsync<RawSnapshot>(path, cancellationToken);
        return new SnapshotFile(
            raw.Absent ?? [],
            (raw.Existing ?? []).ToDictionary(
                e => e.Key,
                e => new PreImage(e.Value.Values.ToDictionary(v => v.Key, v => JsonValues.ToPlain(v.Value), StringComparer.Ordinal), e.Value.ExternalIdExisted, e.Value.ModifiedAt),
                StringComparer.Ordinal),
            raw.Entries);
    }

    private sealed record RawSnapshot(List<string>? Absent, Dictionary<string, RawPreImage>? Existing, Dictionary<string, IdMapEntry>? Entries);

    private sealed record RawPreImage(Dictionary<string, JsonElement> Values, bool ExternalIdExisted, DateTimeOffset? ModifiedAt);
}
