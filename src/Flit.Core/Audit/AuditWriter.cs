using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flit.Core.Audit;

/// <summary>Writes an audit as JSON (complete, stable) and as a readable Markdown page (bounded lists).</summary>
public static class AuditWriter
{
    private const int ListedPerFinding = 20;

    /// <summary>How the audit is written as JSON: serialise to a stream with these rather than to a string.</summary>
    public static JsonSerializerOptions JsonOptions => Json;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string ToJson(AuditReport report) => JsonSerializer.Serialize(report, Json);

    public static string ToJson(RebuildPackage package) => JsonSerializer.Serialize(package, Json);

    public static AuditReport FromJson(string json) =>
        JsonSerializer.Deserialize<AuditReport>(json, Json) ?? throw new InvalidDataException("The audit report is empty.");

    public static string ToMarkdown(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"# Audit of the {report.System} export ({report.Pair})\n\n");
        text.Append(c, $"{report.Records:N0} records in {report.Inventory.Count} objects · {report.Findings.Sum(f => f.Count):N0} findings ({report.BlockingFindings:N0} blocking) · {report.CustomFields.Count} custom fields planned · {report.RebuildPackages.Count} rebuild packages\n\n");
        text.Append("## Inventory\n\n| object | files | records | columns (documented / unknown) | least-filled columns |\n|---|---|---:|---|---|\n");
        foreach (var o in report.Inventory)
        {
            var least = string.Join(", ", o.Columns.OrderBy(col => col.FillRate).Take(3).Select(col => $"{col.Name} {col.FillRate:P0}"));
            text.Append(c, $"| {o.Object} | {string.Join(", ", o.Files)} | {o.Records:N0} | {o.Columns.Count(col => col.Documented)} / {o.Columns.Count(col => !col.Documented)} | {least} |\n");
        }

        text.Append("\n## Findings\n\n");
        if (report.Findings.Count == 0)
        {
            text.Append("None.\n");
        }

        foreach (var f in report.Findings)
        {
            text.Append(c, $"### {f.Severity.ToString().ToLowerInvariant()}: {f.Message} ({f.Count:N0})\n\n| object | id | where | value |\n|---|---|---|---|\n");
            foreach (var r in f.Records.Take(ListedPerFinding))
            {
                text.Append(c, $"| {r.Object} | {r.SourceId} | {r.File}:{r.Line}{(r.Column > 0 ? ":" + r.Column.ToString(c) : string.Empty)} | {Cell(r.Value)} |\n");
            }

            if (f.Count > ListedPerFinding)
            {
                text.Append(c, $"\n…{f.Count - ListedPerFinding:N0} more in audit.json.\n");
            }

            text.Append('\n');
        }

        if (report.DateOrders is { Count: > 0 } orders)
        {
            text.Append("## How slash dates are read (decided per file and column from the values; the run reads them the same way)\n\n| file | column | order | day-first values | month-first values | |\n|---|---|---|---:|---:|---|\n");
            foreach (var d in orders)
            {
                var order = d.Order == Values.DateOrder.DayFirst ? "day first" : "month first";
                text.Append(c, $"| {Cell(d.File)} | {Cell(d.Column)} | {order} | {d.DayFirstValues} | {d.MonthFirstValues} | {(d.Proven ? "proven by the values" : "undecided: the source's convention")} |\n");
            }

            text.Append('\n');
        }

        text.Append("## Custom fields to create before data\n\n| model | field | type | label | from |\n|---|---|---|---|---|\n");
        foreach (var f in report.CustomFields)
        {
            text.Append(c, $"| {f.Model} | {f.Name} | {f.Type} | {Cell(f.Label)} | {Cell(f.Origin)} |\n");
        }

        text.Append("\n## What does not migrate as it is (loss of function)\n\n");
        foreach (var d in report.Disclosures)
        {
            text.Append(c, $"- **{d.SeedRow}** ({d.Object}, {d.Disposition}): {d.Text}\n");
        }

        text.Append("\n## Rebuild packages\n\n");
        foreach (var p in report.RebuildPackages)
        {
            text.Append(c, $"- {p.Kind} `{p.Id}` {Cell(p.Name)} ({p.SourceFile}:{p.Line})\n");
        }

        return text.ToString();
    }

    private static string Cell(string? value) =>
        (value ?? string.Empty).Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
}
