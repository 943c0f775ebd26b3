using Flit.Activities.Loading;
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

        // Where each object loads (its phase and model), from the outcome files of every run of the migration.
        var outcomes = await RunOutcomes.ReadAsync(store, RunPaths.Outcomes(migrationId), cancellationToken);
        var placement = outcomes.Final.GroupBy(f => f.Batch.SourceObject).ToDictionary(g => g.Key, g => (g.First().Batch.Phase, g.First().Batch.TargetModel), StringComparer.Ordinal);

        // Each updated record's pre-image is in the snapshot its first write stored (the ID map names it).
        var snapshots = new Dictionary<string, SnapshotFile>(StringComparer.Ordinal);
        var items = new List<RollbackItem>();
        foreach (var entry in entries
            .Where(e => placement.ContainsKey(e.ObjectType))
            .OrderByDescending(e => placement[e.ObjectType].Phase)
            .ThenBy(e => e.ObjectType, StringComparer.Ordinal))
        {
            PreImage? preImage = null;
            if (entry.Operation == IdMapOperation.Updated && entry.PreImagePath is { } path)
            {
                if (!snapshots.TryGetValue(path, out var snapshot))
                {
                    snapshots[path] = snapshot = await PreWriteSnapshots.ReadAsync(store, path, cancellationToken);
                }

                preImage = snapshot.Existing.GetValueOrDefault(entry.ExternalId);
            }

            // Children before parents: the last phase first, and within it the order of the ID map. An updated record
            // without a pre-image cannot be restored, so it is left as it is.
            if (entry.Operation == IdMapOperation.Created || preImage is not null)
            {
                items.Add(new RollbackItem(placement[entry.ObjectType].TargetModel, entry.DestinationId, entry.ExternalId, entry.Operation == IdMapOperation.Created, entry.At, preImage));
            }
        }

        var outcome = await destination.RollbackAsync(new RollbackRequest(items, force, request.OwnerTag), cancellationToken);
        // What the destination left as it is stays the migration's: a later rollback (forced, say) can still undo it.
        var leftAlone = (outcome.LeftAlone ?? []).ToHashSet(StringComparer.Ordinal);
        var undone = entries.Where(e => !leftAlone.Contains(e.ExternalId)).Select(e => (e.ObjectType, e.SourceId)).ToList();
        await idMap.RemoveAsync(migrationId, undone, cancellationToken);
        var report = new RollbackReport(migrationId, time.GetUtcNow(), force, outcome.Deleted, outcome.Restored, outcome.Conflicts, outcome.Failures, outcome.DroppedFields);
        await store.WriteJsonAsync(RunPaths.Report(migrationId, "rollback.json"), report, cancellationToken);
        return report;
    }
}
