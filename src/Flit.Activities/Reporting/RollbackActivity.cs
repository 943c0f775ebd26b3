using System.Text.Json;
using Flit.Core.Destinations;
using Flit.Core.Ports;
using Flit.Core.Workflow;

namespace Flit.Activities.Reporting;

/// <summary>What a rollback did, written beside the run's report.</summary>
public sealed record RollbackReport(string MigrationId, DateTimeOffset At, bool Forced, int Deleted, int Restored, IReadOnlyList<string> Conflicts, IReadOnlyList<string> Failures, int DroppedFields);

/// <summary>
/// Undoes a run within its retention window: in reverse dependency order (attachments, activities, leads,
/// contacts, companies), deletes what the run created and restores the pre-images of what it updated; records
/// changed in the destination after the run's write are reported as conflicts and left alone unless forced.
/// </summary>
public sealed class RollbackActivity(IStagingStore store, IIdMap idMap, IDestination destination, TimeProvider time)
{
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromHours(72);

    public async Task<RollbackReport> RunAsync(MigrationRequest request, bool force, TimeSpan retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var migrationId = request.MigrationId;
        var entries = new List<IdMapEntry>();
        await foreach (var entry in idMap.ListAsync(migrationId, null, cancellationToken))
        {
            entries.Add(entry);
        }

        if (entries.Count == 0)
        {
            throw new InvalidOperationException($"Migration {migrationId} has nothing to roll back: its ID map is empty.");
        }

        var lastWrite = entries.Max(e => e.At);
        if (time.GetUtcNow() - lastWrite > retention)
        {
            throw new InvalidOperationException($"Migration {migrationId} last wrote at {lastWrite:u}; rollback is available for {retention.TotalHours:0} hours after a run, and that window has closed.");
        }

        var outcomes = await RunOutcomes.ReadAsync(store, migrationId, cancellationToken);
        var placement = outcomes.Final.GroupBy(f => f.Batch.SourceObject).ToDictionary(g => g.Key, g => (g.First().Batch.Phase, g.First().Batch.TargetModel), StringComparer.Ordinal);
        var preImages = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
        await foreach (var item in store.ListAsync(RunPaths.Snapshots(migrationId), cancellationToken))
        {
            foreach (var (externalId, values) in await store.ReadJsonAsync<Dictionary<string, Dictionary<string, JsonElement>>>(item.Path, cancellationToken))
            {
                preImages[externalId] = values.ToDictionary(v => v.Key, v => Plain(v.Value), StringComparer.Ordinal);
            }
        }

        // Children before parents: the last phase first, and within it the order of the ID map.
        var items = entries
            .Where(e => placement.ContainsKey(e.ObjectType))
            .OrderByDescending(e => placement[e.ObjectType].Phase)
            .ThenBy(e => e.ObjectType, StringComparer.Ordinal)
            .Select(e => new RollbackItem(placement[e.ObjectType].TargetModel, e.DestinationId, e.ExternalId, e.Operation == IdMapOperation.Created, e.At, preImages.GetValueOrDefault(e.ExternalId)))
            .Where(i => i.Created || i.PreImage is not null)
            .ToList();
        var outcome = await destination.RollbackAsync(items, force, cancellationToken);
        var undone = entries.Where(e => !outcome.Conflicts.Any(c => c.Contains(e.ExternalId, StringComparison.Ordinal))).Select(e => (e.ObjectType, e.SourceId)).ToList();
        await idMap.RemoveAsync(migrationId, undone, cancellationToken);
        var report = new RollbackReport(migrationId, time.GetUtcNow(), force, outcome.Deleted, outcome.Restored, outcome.Conflicts, outcome.Failures, outcome.DroppedFields);
        await store.WriteJsonAsync(RunPaths.Report(migrationId, "rollback.json"), report, cancellationToken);
        return report;
    }

    private static object? Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var n) ? n : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Array => value.EnumerateArray().Select(Plain).ToList(),
        _ => value.GetRawText(),
    };
}
