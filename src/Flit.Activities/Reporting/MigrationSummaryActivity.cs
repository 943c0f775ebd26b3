using Flit.Core.Ports;
using Flit.Core.Workflow;

namespace Flit.Activities.Reporting;

/// <summary>One run of a migration in its summary: the full run or a delta pass, with its report and totals.</summary>
public sealed record RunTotals(string Run, string ReportPath, DateTimeOffset At, ObjectCounts Totals, long RemovedAtSource);

/// <summary>
/// The migration summed over its runs (report/migration.json): the full run and every delta pass not rolled back.
/// Per object, what was written adds up — records created, updates, conflicts left as edited in the destination —
/// while what describes an export (rows, unchanged, failed, skipped) and the records removed at the source are the
/// latest run's: each pass reads the whole newer export, so its rows are not added to the earlier ones.
/// </summary>
public sealed record MigrationSummary(string MigrationId, DateTimeOffset At, IReadOnlyList<RunTotals> Runs, IReadOnlyList<ObjectCounts> Objects, long RemovedAtSource)
{
    /// <summary>All objects together.</summary>
    public ObjectCounts Totals() =>
        new("all", "all", Objects.Sum(o => o.Source), Objects.Sum(o => o.Created), Objects.Sum(o => o.Updated), Objects.Sum(o => o.Failed), Objects.Sum(o => o.Skipped), Objects.Sum(o => o.Unchanged), Objects.Sum(o => o.Conflicts));
}

/// <summary>Writes the migration's summary from the reports in the staging store: the full run's and those of the
/// passes (a pass with a rollback report beside its report is left out).</summary>
public sealed class MigrationSummaryActivity(IStagingStore store, TimeProvider time)
{
    public async Task<string> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migrationId = input.Request.MigrationId;
        var runs = new List<(RunReport Report, RunTotals Totals)>();
        if (await store.ExistsAsync(RunPaths.Report(migrationId, "json"), cancellationToken))
        {
            runs.Add(Of("full run", RunPaths.Report(migrationId, "json"), await RunReport.ReadAsync(store, RunPaths.Report(migrationId, "json"), cancellationToken)));
        }

        var passes = new List<string>();
        await foreach (var item in store.ListAsync($"{RunPaths.Root(migrationId)}/passes/", cancellationToken))
        {
            passes.Add(item.Path);
        }

        foreach (var path in passes.Where(p => p.EndsWith("/report.json", StringComparison.Ordinal) && !passes.Contains(p[..^"report.json".Length] + "rollback.json")))
        {
            var report = await RunReport.ReadAsync(store, path, cancellationToken);
            runs.Add(Of(path.Split('/')[^2], path, report));
        }

        runs.Sort((a, b) => a.Totals.At.CompareTo(b.Totals.At));
        var latest = runs.Count > 0 ? runs[^1].Report : null;
        var objects = runs.SelectMany(r => r.Report.Objects).GroupBy(o => (o.SourceObject, o.TargetModel)).Select(g =>
        {
            var last = latest?.Objects.FirstOrDefault(o => (o.SourceObject, o.TargetModel) == g.Key) ?? g.Last();
            return last with { Created = g.Sum(o => o.Created), Updated = g.Sum(o => o.Updated), Conflicts = g.Sum(o => o.Conflicts) };
        }).ToList();
        var summary = new MigrationSummary(migrationId, time.GetUtcNow(), [.. runs.Select(r => r.Totals)], objects, latest?.RemovedTotal ?? 0);
        var summaryPath = RunPaths.Report(migrationId, "migration.json");
        await store.WriteJsonAsync(summaryPath, summary, cancellationToken);
        return summaryPath;
    }

    private static (RunReport, RunTotals) Of(string run, string path, RunReport report) => (report, new RunTotals(run, path, report.At, report.Totals(), report.RemovedTotal));
}
