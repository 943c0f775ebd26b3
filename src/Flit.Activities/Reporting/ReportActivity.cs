using Flit.Activities.Loading;
using Flit.Core.Ports;
using Flit.Core.Workflow;

namespace Flit.Activities.Reporting;

/// <summary>
/// The run's report for people and tools: JSON (everything, with failures and warnings grouped by kind), CSV (one row
/// per record that did not load and per warning: the full list), and a self-contained HTML page to read.
/// </summary>
public sealed class ReportActivity(IStagingStore store)
{
    public async Task<ReportResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migrationId = input.Request.MigrationId;
        var reconciliation = await store.ReadJsonAsync<Reconciliation>(RunPaths.Report(migrationId, "reconciliation.json"), cancellationToken);
        var outcomes = await RunOutcomes.ReadAsync(store, RunPaths.Outcomes(migrationId, input.Run), cancellationToken);
        var report = Compose(input.Request, reconciliation, outcomes);

        var json = RunPaths.Report(migrationId, "json");
        await store.WriteJsonAsync(json, report, cancellationToken);
        var csv = RunPaths.Report(migrationId, "csv");
        await store.WriteTextAsync(csv, ReportCsv.Write(report), cancellationToken);
        var html = RunPaths.Report(migrationId, "html");
        await store.WriteTextAsync(html, ReportPage.Render(report), cancellationToken);
        return new ReportResult(json, csv, html);
    }

    internal static RunReport Compose(MigrationRequest request, Reconciliation reconciliation, RunOutcomes outcomes)
    {
        var notLoaded = outcomes.Final
            .Where(f => f.Record.Fate is RecordFate.Failed or RecordFate.Skipped)
            .Select(f => new NotLoadedRecord(f.Batch.SourceObject, f.Record.SourceId, f.Record.File, f.Record.Line, f.Record.Fate, f.Record.Reason, f.Record.Kind, f.Record.Field))
            .ToList();
        return new RunReport(
            request.MigrationId,
            request.Pair,
            request.Mode.ToString().ToUpperInvariant(),
            reconciliation.SpecHash,
            reconciliation.At,
            reconciliation.Objects,
            reconciliation.Presence,
            notLoaded,
            reconciliation.Diff,
            reconciliation.Warnings,
            RunReport.GroupNotLoaded(notLoaded),
            RunReport.GroupWarnings(reconciliation.Warnings),
            reconciliation.Sources);
    }
}
