using System.Globalization;
using System.Text;
using System.Text.Json;
using Flit.Activities.Loading;
using Flit.Core.Ports;
using Flit.Core.Workflow;

namespace Flit.Activities.Reporting;

/// <summary>
/// The run's report for people and tools: JSON (everything), CSV (one row per record that did not load, with file,
/// line and the destination's message), and a readable Markdown page.
/// </summary>
public sealed class ReportActivity(IStagingStore store)
{
    public async Task<ReportResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migrationId = input.Request.MigrationId;
        var reconciliation = await store.ReadJsonAsync<Reconciliation>(RunPaths.Report(migrationId, "reconciliation.json"), cancellationToken);

        var outcomes = await RunOutcomes.ReadAsync(store, RunPaths.Outcomes(migrationId, input.Run), cancellationToken);
        var notLoaded = outcomes.Final.Where(f => f.Record.Fate is RecordFate.Failed or RecordFate.Skipped).ToList();

        var json = RunPaths.Report(migrationId, "json");
        await store.WriteTextAsync(json, JsonSerializer.Serialize(new
        {
            input.Request.MigrationId,
            input.Request.Pair,
            Mode = input.Request.Mode.ToString().ToUpperInvariant(),
            reconciliation.SpecHash,
            reconciliation.At,
            reconciliation.Objects,
            reconciliation.Sources,
            reconciliation.Presence,
            NotLoaded = notLoaded.Select(n => new { n.Batch.SourceObject, n.Record.SourceId, n.Record.File, n.Record.Line, n.Record.Fate, n.Record.Reason }),
            reconciliation.Diff,
            reconciliation.Warnings,
        }, JsonDefaults.Options), cancellationToken);

        var csv = RunPaths.Report(migrationId, "csv");
        var csvText = new StringBuilder("object,source_id,file,line,fate,reason\n");
        foreach (var (batch, record) in notLoaded)
        {
            csvText.Append(Csv(batch.SourceObject)).Append(',').Append(Csv(record.SourceId)).Append(',').Append(Csv(record.File)).Append(',')
                .Append(record.Line.ToString(CultureInfo.InvariantCulture)).Append(',').Append(record.Fate.ToString().ToLowerInvariant()).Append(',')
                .Append(Csv(record.Reason ?? string.Empty)).Append('\n');
        }

        await store.WriteTextAsync(csv, csvText.ToString(), cancellationToken);

        var markdown = RunPaths.Report(migrationId, "md");
        await store.WriteTextAsync(markdown, Readable(input.Request, reconciliation, notLoaded), cancellationToken);
        return new ReportResult(json, csv, markdown);
    }

    private static string Readable(MigrationRequest request, Reconciliation reconciliation, List<(BatchOutcomeFile Batch, RecordOutcome Record)> notLoaded)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"# Migration {request.MigrationId} ({request.Pair}, {request.Mode.ToString().ToLowerInvariant()} run)\n\n");
        text.Append(culture, $"Spec `{reconciliation.SpecHash}` · reconciled {reconciliation.At:u}\n\n");
        text.Append("| object | target | source | created | updated | failed | skipped | found in destination |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var c in reconciliation.Objects)
        {
            var found = reconciliation.Presence.FirstOrDefault(p => p.SourceObject == c.SourceObject)?.Found ?? 0;
            text.Append(culture, $"| {c.SourceObject} | {c.TargetModel} | {c.Source} | {c.Created} | {c.Updated} | {c.Failed} | {c.Skipped} | {found} |\n");
        }

        var mismatches = reconciliation.Diff.Where(d => !d.Matches).ToList();
        text.Append(culture, $"\n## Field-level diff of the sample\n\n{reconciliation.Diff.Count} fields compared, {mismatches.Count} differ.\n\n");
        if (mismatches.Count > 0)
        {
            text.Append("| record | where | field | expected | in destination |\n|---|---|---|---|---|\n");
            foreach (var d in mismatches.Take(200))
            {
                text.Append(culture, $"| {d.SourceObject} {d.SourceId} | {d.File}:{d.Line} | {d.Field} | {Cell(d.Expected)} | {Cell(d.Actual)} |\n");
            }
        }

        text.Append(culture, $"\n## Records not loaded ({notLoaded.Count})\n\n");
        if (notLoaded.Count > 0)
        {
            text.Append("| object | source id | where | fate | reason |\n|---|---|---|---|---|\n");
            foreach (var (batch, record) in notLoaded.Take(200))
            {
                text.Append(culture, $"| {batch.SourceObject} | {record.SourceId} | {record.File}:{record.Line} | {record.Fate.ToString().ToLowerInvariant()} | {Cell(record.Reason ?? string.Empty)} |\n");
            }

            if (notLoaded.Count > 200)
            {
                text.Append(culture, $"\n…and {notLoaded.Count - 200} more in report.csv.\n");
            }
        }

        if (reconciliation.Warnings.Count > 0)
        {
            text.Append(culture, $"\n## Warnings ({reconciliation.Warnings.Count})\n\n");
            foreach (var warning in reconciliation.Warnings.Take(200))
            {
                text.Append("- ").Append(warning.Message).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
