using Flit.Activities.Loading;
using Flit.Core.Destinations;
using Flit.Core.Ports;
using Flit.Core.Workflow;
using Microsoft.Extensions.Logging;

namespace Flit.Activities.Reporting;

/// <summary>
/// Undoes one delta pass, children first: what it created is deleted; what it updated gets back the values it held
/// before the pass (the pass's own snapshots), and its ID-map entry goes back to the one from before the pass, so the
/// migration — and its next pass — see the records as the pass found them. A record changed in the destination after
/// the pass wrote it is left alone unless forced. Records the pass did not write, and what the migration's prepare step
/// created, are not touched: the full run's rollback does that.
/// </summary>
/// <remarks>The pass's writes are read from its outcome files and held as references (object, ids, batch) while they
/// are undone a chunk at a time.</remarks>
public sealed class PassRollbackActivity(IStagingStore store, IIdMap idMap, IDestination destination, TimeProvider time, ILogger<PassRollbackActivity> logger)
{
    private sealed record Write(int Phase, string Model, string SourceObject, string SourceId, string ExternalId, string DestinationId, string BatchId, bool Created);

    public async Task<RollbackReport> RunAsync(MigrationRequest request, string runId, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var migrationId = request.MigrationId;
        var writes = new List<Write>();
        await foreach (var (batch, record) in RunOutcomes.FinalAsync(store, RunPaths.Outcomes(migrationId, runId), cancellationToken))
        {
            if (record.Fate is RecordFate.Created or RecordFate.Updated && record.ExternalId is { } externalId && record.DestinationId is { } destinationId)
            {
                writes.Add(new Write(batch.Phase, batch.TargetModel, batch.SourceObject, record.SourceId, externalId, destinationId, batch.BatchId, record.Fate == RecordFate.Created));
            }
        }

        if (writes.Count == 0)
        {
            throw new InvalidOperationException($"Delta pass {runId} of {migrationId} wrote nothing: there is nothing to roll back.");
        }

        var totals = new RollbackTotals();
        var snapshots = new SnapshotReader(store, migrationId, runId);
        foreach (var group in writes.GroupBy(w => (w.Phase, w.Model, w.SourceObject)).OrderByDescending(g => g.Key.Phase).ThenBy(g => g.Key.SourceObject, StringComparer.Ordinal))
        {
            foreach (var chunk in group.Chunk(RollbackActivity.Chunk))
            {
                await UndoAsync(request, runId, group.Key.Model, group.Key.SourceObject, chunk, snapshots, force, totals, cancellationToken);
            }
        }

        var report = totals.Report(migrationId, time.GetUtcNow(), force);
        logger.RollbackFinished(report.Deleted, report.Restored, report.ConflictCount, report.FailureCount, report.DroppedFields);
        await store.WriteJsonAsync(RunPaths.Pass(migrationId, runId, "rollback.json"), report, cancellationToken);
        return report;
    }

    private async Task UndoAsync(MigrationRequest request, string runId, string model, string sourceObject, Write[] chunk, SnapshotReader snapshots, bool force, RollbackTotals totals, CancellationToken cancellationToken)
    {
        var current = await idMap.LookupAsync(request.MigrationId, sourceObject, [.. chunk.Select(w => w.SourceId)], cancellationToken);
        var items = new List<RollbackItem>(chunk.Length);
        var priors = new Dictionary<string, (IdMapEntry Now, IdMapEntry? Before, DateTimeOffset? ModifiedBefore)>(StringComparer.Ordinal);
        foreach (var write in chunk)
        {
            if (!current.TryGetValue(write.SourceId, out var entry) || entry.RunId != runId)
            {
                // Undone already (a rollback interrupted half way and run again), or written again since.
                continue;
            }

            var (existed, preImage, before) = await snapshots.StateAsync(write.BatchId, write.ExternalId, cancellationToken);
            if (write.Created || !existed)
            {
                items.Add(new RollbackItem(model, write.DestinationId, write.ExternalId, Created: true, entry.At, null));
            }
            else if (preImage is null)
            {
                totals.Fail($"{model} {write.DestinationId} ({write.ExternalId}): the pass stored no pre-image for it, so it is left as the pass wrote it.");
                continue;
            }
            else
            {
                items.Add(new RollbackItem(model, write.DestinationId, write.ExternalId, Created: false, entry.At, preImage));
            }

            priors[write.ExternalId] = (entry, write.Created || !existed ? null : before, preImage?.ModifiedAt);
        }

        if (items.Count == 0)
        {
            return;
        }

        var outcome = await destination.RollbackAsync(new RollbackRequest(items, force, request.OwnerTag, Final: false, WithinMigration: true), cancellationToken);
        totals.Add(outcome);

        // The ID map forgets what the pass created and gives back what it updated. The restore is the migration's own
        // write (as of now), so the next pass or rollback does not take it for someone else's edit — unless what it
        // gave back was such an edit (the record had changed in the destination after the migration's earlier write):
        // the entry keeps that write's time, and the edit stays visible to them.
        var leftAlone = (outcome.LeftAlone ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var externalId in leftAlone)
        {
            logger.RollbackLeftAlone(model, externalId, force);
        }

        var undone = priors.Where(p => !leftAlone.Contains(p.Key)).Select(p => p.Value).ToList();
        var now = time.GetUtcNow();
        await idMap.RemoveAsync(request.MigrationId, [.. undone.Where(u => u.Before is null).Select(u => (u.Now.ObjectType, u.Now.SourceId))], cancellationToken);
        var restored = undone.Where(u => u.Before is not null)
            .Select(u => DestinationEdit.IsLater(u.ModifiedBefore, u.Before!.At) ? u.Before! : u.Before! with { At = now }).ToList();
        if (restored.Count > 0)
        {
            await idMap.RecordAsync(request.MigrationId, restored, cancellationToken);
        }
    }

    /// <summary>The pass's snapshots of a batch: whether each record existed before the pass, its pre-image and its
    /// ID-map entry from before the pass; each file is read once.</summary>
    private sealed class SnapshotReader(IStagingStore store, string migrationId, string runId)
    {
        private readonly Dictionary<string, Dictionary<string, PriorState>> _batches = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SnapshotFile> _files = new(StringComparer.Ordinal);

        public async Task<(bool Existed, PreImage? PreImage, IdMapEntry? Before)> StateAsync(string batchId, string externalId, CancellationToken cancellationToken)
        {
            if (!_batches.TryGetValue(batchId, out var states))
            {
                _batches[batchId] = states = await PreWriteSnapshots.ReadBatchAsync(store, migrationId, runId, batchId, cancellationToken);
            }

            if (!states.TryGetValue(externalId, out var state))
            {
                return (true, null, null);
            }

            if (!_files.TryGetValue(state.Path, out var file))
            {
                _files[state.Path] = file = await PreWriteSnapshots.ReadAsync(store, state.Path, cancellationToken);
            }

            return (state.Existed, file.Existing.GetValueOrDefault(externalId), file.Entries?.GetValueOrDefault(externalId));
        }
    }
}
