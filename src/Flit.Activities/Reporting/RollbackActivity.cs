using Flit.Activities.Loading;
using Flit.Activities.Planning;
using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Workflow;
using Microsoft.Extensions.Logging;

namespace Flit.Activities.Reporting;

/// <summary>What a rollback did, written beside the run's report. Conflicts and failures list the first of them; the
/// counts are exact.</summary>
public sealed record RollbackReport(string MigrationId, DateTimeOffset At, bool Forced, int Deleted, int Restored, IReadOnlyList<string> Conflicts, IReadOnlyList<string> Failures, int DroppedFields, long ConflictCount = 0, long FailureCount = 0)
{
    /// <summary>This rollback and another of the same migration (its delta passes) together.</summary>
    public RollbackReport Plus(RollbackReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this with
        {
            Deleted = Deleted + other.Deleted,
            Restored = Restored + other.Restored,
            Conflicts = [.. other.Conflicts, .. Conflicts],
            Failures = [.. other.Failures, .. Failures],
            DroppedFields = DroppedFields + other.DroppedFields,
            ConflictCount = ConflictCount + other.ConflictCount,
            FailureCount = FailureCount + other.FailureCount,
        };
    }
}

/// <summary>
/// Undoes a migration within its retention window: in reverse dependency order (attachments, activities, leads,
/// contacts, companies), deletes what it created and restores the pre-images of what it updated; records changed in the
/// destination after its write are reported as conflicts and left alone unless forced. It goes a chunk of the ID map at
/// a time — read, undo, forget — so a rollback of millions of records holds one chunk, and one interrupted half way
/// undoes the rest when run again.
/// </summary>
public sealed class RollbackActivity(IStagingStore store, IIdMap idMap, IDestination destination, TimeProvider time, ILogger<RollbackActivity> logger)
{
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromHours(72);

    /// <summary>Records undone per destination request.</summary>
    internal const int Chunk = 500;

    public async Task<RollbackReport> RunAsync(MigrationRequest request, bool force, TimeSpan retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var migrationId = request.MigrationId;
        DateTimeOffset? lastWrite = null;
        await foreach (var entry in idMap.ListAsync(migrationId, null, cancellationToken))
        {
            lastWrite = lastWrite is { } seen && seen > entry.At ? seen : entry.At;
        }

        if (lastWrite is null)
        {
            throw new InvalidOperationException($"Migration {migrationId} has nothing to roll back: its ID map is empty.");
        }

        if (time.GetUtcNow() - lastWrite > retention)
        {
            throw new InvalidOperationException($"Migration {migrationId} last wrote at {lastWrite:u}; rollback is available for {retention.TotalHours:0} hours after a run, and that window has closed.");
        }

        // Where each object loads — its phase and model — is the approved spec's; children go first (the last phase).
        var spec = await StagedMappingSource.LoadProposedAsync(store, migrationId, cancellationToken);
        var objects = spec.Migrated.OrderByDescending(o => o.Phase).ThenBy(o => o.Key, StringComparer.Ordinal).ToList();
        var totals = new RollbackTotals();
        foreach (var entry in objects)
        {
            var chunk = new List<IdMapEntry>(Chunk);
            await foreach (var item in idMap.ListAsync(migrationId, entry.Key, cancellationToken))
            {
                chunk.Add(item);
                if (chunk.Count == Chunk)
                {
                    await UndoAsync(request, entry.Target!, chunk, force, totals, cancellationToken);
                    chunk.Clear();
                }
            }

            await UndoAsync(request, entry.Target!, chunk, force, totals, cancellationToken);
        }

        var final = await destination.RollbackAsync(new RollbackRequest([], force, request.OwnerTag, Final: true, [.. objects.Select(o => o.Target!).Distinct(StringComparer.Ordinal)], CompiledMapping.ModuleFor(request.Tenant)), cancellationToken);
        totals.Add(final);
        var report = totals.Report(migrationId, time.GetUtcNow(), force);
        logger.RollbackFinished(report.Deleted, report.Restored, report.ConflictCount, report.FailureCount, report.DroppedFields);
        await store.WriteJsonAsync(RunPaths.Report(migrationId, "rollback.json"), report, cancellationToken);
        return report;
    }

    private async Task UndoAsync(MigrationRequest request, string model, List<IdMapEntry> entries, bool force, RollbackTotals totals, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        // Each updated record's pre-image is in the snapshot its first write stored (the ID map names it).
        var snapshots = new Dictionary<string, SnapshotFile>(StringComparer.Ordinal);
        var items = new List<RollbackItem>(entries.Count);
        foreach (var entry in entries)
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

            // An updated record without a pre-image cannot be restored, so it is left as it is.
            if (entry.Operation == IdMapOperation.Created || preImage is not null)
            {
                items.Add(new RollbackItem(model, entry.DestinationId, entry.ExternalId, entry.Operation == IdMapOperation.Created, entry.At, preImage));
            }
        }

        var outcome = await destination.RollbackAsync(new RollbackRequest(items, force, request.OwnerTag, Final: false), cancellationToken);
        totals.Add(outcome);

        // What the destination left as it is stays the migration's: a later rollback (forced, say) can still undo it.
        var leftAlone = (outcome.LeftAlone ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var externalId in leftAlone)
        {
            logger.RollbackLeftAlone(model, externalId, force);
        }

        await idMap.RemoveAsync(request.MigrationId, [.. entries.Where(e => !leftAlone.Contains(e.ExternalId)).Select(e => (e.ObjectType, e.SourceId))], cancellationToken);
    }
}
