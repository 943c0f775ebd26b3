using System.Text.Json;
using Flit.Activities.Partitioning;
using Flit.Core.Ports;
using Flit.Core.Workflow;

namespace Flit.Activities.Loading;

/// <summary>
/// Gathers the records that failed only because a parent was missing and writes them into retry batches, one per
/// object and phase. The retry pass runs after every phase has loaded, so a parent that
/// arrived later (another batch, a later file, a self-reference) is found this time.
/// </summary>
public sealed class PlanRetryActivity(IStagingStore store)
{
    public async Task<LoadPlan> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migrationId = input.Request.MigrationId;

        // One retry batch per object and phase, so chains of parents (an organisation under an organisation under
        // another) resolve in the load's rounds instead of racing each other in parallel batches.
        var retries = new SortedDictionary<(int Phase, string Object), (BatchOutcomeFile First, List<Core.Records.SourceRecord> Records)>();
        await foreach (var item in store.ListAsync(RunPaths.Outcomes(migrationId, input.Run), cancellationToken))
        {
            var outcome = await store.ReadJsonAsync<BatchOutcomeFile>(item.Path, cancellationToken);
            if (outcome.IsRetry)
            {
                continue;
            }

            var retryIds = outcome.Records.Where(r => r.MissingParent && r.Fate == RecordFate.Failed).Select(r => r.SourceId).ToHashSet(StringComparer.Ordinal);
            if (retryIds.Count == 0)
            {
                continue;
            }

            var firstPass = RunPaths.Batch(migrationId, outcome.Phase, outcome.SourceObject, outcome.BatchId, retry: false);
            await using var stream = await store.OpenReadAsync(firstPass, cancellationToken);
            var records = await BatchFile.ReadAsync(stream, cancellationToken);
            var key = (outcome.Phase, outcome.SourceObject);
            if (!retries.TryGetValue(key, out var entry))
            {
                retries[key] = entry = (outcome, []);
            }

            entry.Records.AddRange(records.Where(r => retryIds.Contains(r.SourceId)));
        }

        var phases = new SortedDictionary<int, List<BatchWork>>();
        foreach (var ((phase, sourceObject), (first, records)) in retries)
        {
            var batchId = $"retry-{phase}-{sourceObject}";
            var path = RunPaths.Batch(migrationId, phase, sourceObject, batchId, retry: true);
            await using (var stream = await store.OpenWriteAsync(path, cancellationToken))
            {
                await BatchFile.WriteAsync(stream, records, cancellationToken);
                await stream.CommitAsync(cancellationToken);
            }

            if (!phases.TryGetValue(phase, out var list))
            {
                phases[phase] = list = [];
            }

            list.Add(new BatchWork(batchId, sourceObject, first.TargetModel, phase, path, records.Count, true, LayoutObject: first.LayoutObject, Derived: first.Derived));
        }

        return new LoadPlan([.. phases.Select(p => new PhasePlan(p.Key, p.Value))], retries.Values.Sum(r => (long)r.Records.Count), 0);
    }
}
