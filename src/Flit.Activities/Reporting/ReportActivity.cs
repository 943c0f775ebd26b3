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
    /// <summary>Records not loaded and warnings listed in report.json (the counts are exact; report.csv lists them all).</summary>
    internal const int Listed = 1000;

    /// <summary>Records not loaded are listed as a reader goes through the run: by phase, object, file and line.</summary>
    private static readonly Comparer<(int Phase, NotLoadedRecord Row)> InReadingOrder = Comparer<(int Phase, NotLoadedRecord Row)>.Create((a, b) =>
        a.Phase != b.Phase ? a.Phase.CompareTo(b.Phase)
        : string.CompareOrdinal(a.Row.SourceObject, b.Row.SourceObject) is var byObject and not 0 ? byObject
        : string.CompareOrdinal(a.Row.File, b.Row.File) is var byFile and not 0 ? byFile
        : a.Row.Line.CompareTo(b.Row.Line));

    public async Task<ReportResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migrationId = input.Request.MigrationId;
        var reconciliation = await store.ReadJsonAsync<Reconciliation>(RunPaths.Report(input, "reconciliation.json"), cancellationToken);
        var outcomes = RunPaths.Outcomes(migrationId, input.Run);

        // report.csv is written as the outcomes stream by; only the groups and the first records are kept for the rest.
        var csv = RunPaths.Report(input, "csv");
        var notLoaded = new FirstInOrder<(int Phase, NotLoadedRecord Row)>(Listed, InReadingOrder);
        var notLoadedGroups = new IssueGroupBuilder();
        var warnings = new List<RecordWarning>();
        var warningGroups = new IssueGroupBuilder();
        long notLoadedCount = 0, warningCount = 0;
        await using (var stream = await store.OpenWriteAsync(csv, cancellationToken))
        await using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 65536))
        {
            await writer.WriteAsync(ReportCsv.Header + "\n");
            await foreach (var (batch, record) in RunOutcomes.FinalAsync(store, outcomes, cancellationToken))
            {
                if (record.Fate is not (RecordFate.Failed or RecordFate.Skipped or RecordFate.Conflict))
                {
                    continue;
                }

                var row = new NotLoadedRecord(batch.SourceObject, record.SourceId, record.File, record.Line, record.Fate, record.Reason, record.Kind, record.Field);
                await writer.WriteAsync(ReportCsv.Row(row));
                notLoadedGroups.Add(RunReport.Issue(row));
                notLoaded.Add((batch.Phase, row));
                notLoadedCount++;
            }

            await foreach (var warning in RunOutcomes.WarningsAsync(store, outcomes, cancellationToken))
            {
                await writer.WriteAsync(ReportCsv.Row(warning));
                warningGroups.Add(RunReport.Issue(warning));
                if (warningCount++ < Listed)
                {
                    warnings.Add(warning);
                }
            }

            await writer.FlushAsync(cancellationToken);
            await stream.CommitAsync(cancellationToken);
        }

        var request = input.Request;
        var report = new RunReport(
            request.MigrationId,
            request.Pair,
            request.Mode.ToString().ToUpperInvariant(),
            reconciliation.SpecHash,
            reconciliation.At,
            reconciliation.Objects,
            reconciliation.Presence,
            [.. notLoaded.Items.Select(n => n.Row)],
            reconciliation.Diff,
            warnings,
            notLoadedGroups.Build(),
            warningGroups.Build(),
            reconciliation.Sources,
            notLoadedCount,
            warningCount,
            reconciliation.Removed);
        var json = RunPaths.Report(input, "json");
        await store.WriteJsonAsync(json, report, cancellationToken);
        var html = RunPaths.Report(input, "html");
        await store.WriteTextAsync(html, ReportPage.Render(report), cancellationToken);
        return new ReportResult(json, csv, html);
    }
}
