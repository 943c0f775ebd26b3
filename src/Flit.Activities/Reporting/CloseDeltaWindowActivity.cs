using Flit.Activities.Planning;
using Flit.Core.Destinations;
using Flit.Core.Ports;
using Flit.Core.Workflow;

namespace Flit.Activities.Reporting;

/// <summary>The window's final reconciliation: every record of the migration, per object, looked up in the destination.</summary>
public sealed record WindowCloseReport(string MigrationId, DateTimeOffset At, IReadOnlyList<PresenceCheck> Presence);

/// <summary>
/// Closes the delta window with a reconciliation of the whole migration — the full run and every pass: each record its
/// ID map holds is looked up in the destination by external id, a chunk at a time, and what is missing is listed.
/// </summary>
public sealed class CloseDeltaWindowActivity(IStagingStore store, IIdMap idMap, IDestination destination, TimeProvider time)
{
    /// <summary>External ids looked up per call.</summary>
    private const int Chunk = 5000;

    /// <summary>Missing external ids listed per object (the counts are exact).</summary>
    private const int ListedMissing = 1000;

    public async Task<WindowCloseResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migrationId = input.Request.MigrationId;
        var spec = await StagedMappingSource.LoadProposedAsync(store, migrationId, cancellationToken);
        var checks = new List<PresenceCheck>();
        foreach (var entry in spec.Migrated.OrderBy(o => o.Phase).ThenBy(o => o.Key, StringComparer.Ordinal))
        {
            var check = new PresenceCheck(entry.Key, entry.Target!, 0, 0, []);
            var chunk = new List<string>(Chunk);
            await foreach (var item in idMap.ListAsync(migrationId, entry.Key, cancellationToken))
            {
                chunk.Add(item.ExternalId);
                if (chunk.Count == Chunk)
                {
                    check = await CheckAsync(check, chunk, cancellationToken);
                }
            }

            check = await CheckAsync(check, chunk, cancellationToken);
            if (check.Expected > 0)
            {
                checks.Add(check);
            }
        }

        var path = RunPaths.Report(migrationId, "final-reconciliation.json");
        await store.WriteJsonAsync(path, new WindowCloseReport(migrationId, time.GetUtcNow(), checks), cancellationToken);
        return new WindowCloseResult(path, checks.Sum(c => c.Expected), checks.Sum(c => c.Found));
    }

    private async Task<PresenceCheck> CheckAsync(PresenceCheck check, List<string> chunk, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return check;
        }

        var present = (await destination.ReadBackAsync(check.TargetModel, chunk, [], cancellationToken)).Select(r => r.ExternalId).ToHashSet(StringComparer.Ordinal);
        var missing = check.MissingExternalIds.Concat(chunk.Where(id => !present.Contains(id))).Take(ListedMissing).ToList();
        var result = check with { Expected = check.Expected + chunk.Count, Found = check.Found + chunk.Count(present.Contains), MissingExternalIds = missing };
        chunk.Clear();
        return result;
    }
}
