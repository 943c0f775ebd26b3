using System.Text.Json;
using Flit.Activities.Partitioning;
using Flit.Core.Ports;
using Flit.Core.Workflow;

namespace Flit.Activities.Loading;

/// <summary>
/// Gathers the records that failed only because a parent was missing and writes them into retry batches, one per
/// first-pass batch, in the same phases. The retry pass runs after every phase has loaded, so a parent that
/// arrived later (another batch, a later file, a self-reference) is found this time.
/// </summary>
public sealed class PlanRetryActivity(IStagingStore store)
{
    public async Task<LoadPlan> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migrationId = input.Request.MigrationId;
        var phases = new SortedDictionary<int, List<BatchWork>>();
        long total = 0;
        await foreach (var item in store.ListAsync(RunPaths.Outcomes(migrationId), cancellationToken))
        {
            var outcome = await ReadOutcomeAsync(item.Path, cancellationToken);
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
            IReadOnlyList<Core.Records.SourceRecord> records;
            await using (var stream = await store.OpenReadAsync(firstPass, cancellationToken))
            {
                records = await BatchFile.ReadAsync(stream, cancellationToken);
            }

            var retry = records.Where(r => retryIds.Contains(r.SourceId)).ToList();
            var batchId = "retry-" + outcome.BatchId;
            var path = RunPaths.Batch(migrationId, outcome.Phase, outcome.SourceObject, batchId, retry: true);
            await using (var stream = await store.OpenWriteAsync(path, cancellationToken))
            {
                await BatchFile.WriteAsync(stream, retry, cancellationToken);
            }

            if (!phases.TryGetValue(outcome.Phase, out var list))
            {
                phases[outcome.Phase] = list = [];
            }

            list.Add(new BatchWork(batchId, outcome.SourceObject, outcome.TargetModel, outcome.Phase, path, retry.Count, true));
            total += retry.Count;
        }

        // Listing order is the store's; sort so the plan (and so the workflow's calls) is deterministic.
        return new LoadPlan(
            [.. phases.Select(p => new PhasePlan(p.Key, [.. p.Value.OrderBy(b => b.BatchId, StringComparer.Ordinal)]))],
            total,
            0);
    }

    private async Task<BatchOutcomeFile> ReadOutcomeAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(path, cancellationToken);
        return await JsonSerializer.DeserializeAsync<BatchOutcomeFile>(stream, JsonDefaults.Options, cancellationToken)
            ?? throw new InvalidDataException($"{path} is empty.");
    }
}
