using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace Flit.Activities.Reporting;

/// <summary>
/// report.html: one self-contained page to read a run (counts per object with a chart, failures and warnings grouped
/// with examples, the sample's field-level diff side by side, presence in the destination). It works from disk
/// without a network and without JavaScript. Every value from the run is HTML-encoded, and the page's policy lets
/// nothing but its own style sheet apply (<see cref="ReportStyle"/>).
/// </summary>
internal static class ReportPage
{
    /// <summary>Groups shown per section; the rest are counted and left to report.csv.</summary>
    internal const int GroupsShown = 100;

    /// <summary>Missing external ids listed per object.</summary>
    private const int MissingShown = 10;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(HtmlEncode(ReportStyle.ContentSecurityPolicy)).Append("\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Migration ").Append(HtmlEncode(report.MigrationId)).Append(" · report</title>\n")
            .Append("<style>").Append(ReportStyle.Css).Append("</style>\n</head>\n<body>\n");
        Header(page, report);
        Counts(page, report);
        Accounting(page, report.Sources);
        Removed(page, report.Removed);
        Groups(page, "not-loaded", "Not loaded", report.NotLoadedGroups, "Every record read was loaded.");
        Groups(page, "warnings", "Warnings", report.WarningGroups, "No warnings.");
        Diff(page, report.Diff);
        Presence(page, report.Presence);
        page.Append("<footer>The full list of records not loaded and of warnings is <a href=\"report.csv\">report.csv</a> (one row each); ")
            .Append("everything on this page is also in <a href=\"report.json\">report.json</a>.</footer>\n</body>\n</html>\n");
        return page.ToString();
    }

    private static void Header(StringBuilder page, RunReport report)
    {
        var totals = report.Totals();
        page.Append("<header>\n<h1>Migration ").Append(HtmlEncode(report.MigrationId)).Append("</h1>\n")
            .Append(Culture, $"<p class=\"facts\">{HtmlEncode(report.Pair)} · {HtmlEncode(report.Mode.ToLowerInvariant())} run · spec <code>{HtmlEncode(report.SpecHash)}</code> · reconciled {report.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC</p>\n")
            .Append(Culture, $"<p class=\"totals\"><strong>{totals.Source:N0}</strong> records read → {totals.Created:N0} created, {totals.Updated:N0} updated, {totals.Unchanged:N0} unchanged, ")
            .Append(Culture, $"<span class=\"{(totals.Failed > 0 ? "bad" : "ok")}\">{totals.Failed:N0} failed</span>, {totals.Skipped:N0} skipped by rule · ")
            .Append(Culture, $"<span class=\"{(totals.Conflicts > 0 ? "bad" : "ok")}\">{Plural(totals.Conflicts, "conflict")}</span> (edited in the destination since the migration wrote them, left as they are) · ")
            .Append(Culture, $"<span class=\"{(report.Mismatches > 0 ? "bad" : "ok")}\">{Plural(report.Mismatches, "difference")}</span> found by the reconciliation · {Plural(report.WarningTotal, "warning")}</p>\n")
            .Append("<nav><a href=\"#counts\">Counts</a><a href=\"#not-loaded\">Not loaded</a><a href=\"#warnings\">Warnings</a><a href=\"#diff\">Sample diff</a><a href=\"#presence\">Presence</a></nav>\n</header>\n");
    }

    private static void Counts(StringBuilder page, RunReport report)
    {
        page.Append("<section id=\"counts\">\n<h2>Records per object</h2>\n").Append(CountsChart.Svg(report.Objects)).Append("<p class=\"legend\">");
        foreach (var (name, _) in CountsChart.Fates)
        {
            page.Append(Culture, $"<span><span class=\"swatch {name}\"></span>{name}</span>");
        }

        page.Append("</p>\n<table>\n<thead><tr><th>object</th><th>target</th><th class=\"n\">source</th><th class=\"n\">created</th><th class=\"n\">updated</th>")
            .Append("<th class=\"n\">unchanged</th><th class=\"n\">failed</th><th class=\"n\">skipped</th><th class=\"n\">conflicts</th><th class=\"n\">found in destination</th></tr></thead>\n<tbody>\n");
        foreach (var c in report.Objects)
        {
            var found = report.Presence.FirstOrDefault(p => p.SourceObject == c.SourceObject && p.TargetModel == c.TargetModel)?.Found ?? 0;
            page.Append(Culture, $"<tr><td>{HtmlEncode(c.SourceObject)}</td><td><code>{HtmlEncode(c.TargetModel)}</code></td><td class=\"n\">{c.Source:N0}</td>")
                .Append(Culture, $"<td class=\"n\">{c.Created:N0}</td><td class=\"n\">{c.Updated:N0}</td><td class=\"n\">{c.Unchanged:N0}</td>")
                .Append(Culture, $"<td class=\"n\">{c.Failed:N0}</td><td class=\"n\">{c.Skipped:N0}</td><td class=\"n\">{c.Conflicts:N0}</td><td class=\"n\">{found:N0}</td></tr>\n");
        }

        page.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>Every row of every file of the export, whichever entries loaded it: what the audit's inventory counted.</summary>
    private static void Accounting(StringBuilder page, IReadOnlyList<SourceAccounting>? sources)
    {
        if (sources is not { Count: > 0 })
        {
            return;
        }

        page.Append("<section id=\"accounting\">\n<h2>Every row of the export</h2>\n<table>\n<thead><tr><th>export object</th><th class=\"n\">rows</th><th class=\"n\">created</th><th class=\"n\">updated</th>")
            .Append("<th class=\"n\">unchanged</th><th class=\"n\">failed</th><th class=\"n\">skipped</th><th class=\"n\">conflicts</th><th class=\"n\">records computed from them</th></tr></thead>\n<tbody>\n");
        foreach (var s in sources)
        {
            page.Append(Culture, $"<tr><td>{HtmlEncode(s.LayoutObject)}</td><td class=\"n\">{s.Rows:N0}</td><td class=\"n\">{s.Created:N0}</td><td class=\"n\">{s.Updated:N0}</td>")
                .Append(Culture, $"<td class=\"n\">{s.Unchanged:N0}</td><td class=\"n\">{s.Failed:N0}</td><td class=\"n\">{s.Skipped:N0}</td><td class=\"n\">{s.Conflicts:N0}</td><td class=\"n\">{s.Derived:N0}</td></tr>\n");
        }

        page.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>A delta pass's records whose rows its export no longer has: left in the destination, listed to review.</summary>
    private static void Removed(StringBuilder page, IReadOnlyList<RemovedRecords>? removed)
    {
        if (removed is null)
        {
            return;
        }

        page.Append(Culture, $"<section id=\"removed\">\n<h2>Removed at the source: {removed.Sum(r => r.Count):N0}</h2>\n")
            .Append("<p>Records the migration wrote whose rows this export no longer has. Nothing was deleted in the destination.</p>\n");
        if (removed.Count == 0)
        {
            page.Append("<p class=\"ok\">Every record of the migration is still in the export.</p>\n</section>\n");
            return;
        }

        page.Append("<table>\n<thead><tr><th>object</th><th class=\"n\">records</th><th>first of them (source id → destination id)</th></tr></thead>\n<tbody>\n");
        foreach (var r in removed)
        {
            var first = string.Join(", ", r.First.Take(MissingShown).Select(f => $"{f.SourceId} → {f.DestinationId}"));
            page.Append(Culture, $"<tr><td>{HtmlEncode(r.SourceObject)}</td><td class=\"n\">{r.Count:N0}</td><td>{HtmlEncode(first)}</td></tr>\n");
        }

        page.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Groups(StringBuilder page, string id, string title, IReadOnlyList<IssueGroup> groups, string none)
    {
        var records = groups.Sum(g => g.Count);
        page.Append(Culture, $"<section id=\"{id}\">\n<h2>{title}: {records:N0} in {groups.Count:N0} {(groups.Count == 1 ? "group" : "groups")}</h2>\n");
        if (groups.Count == 0)
        {
            page.Append("<p class=\"ok\">").Append(none).Append("</p>\n</section>\n");
            return;
        }

        page.Append("<table>\n<thead><tr><th class=\"n\">records</th><th>object</th><th>kind</th><th>field</th><th>what (record specifics as …, numbers as #)</th><th>examples</th></tr></thead>\n<tbody>\n");
        foreach (var g in groups.Take(GroupsShown))
        {
            page.Append(Culture, $"<tr><td class=\"n\">{g.Count:N0}</td><td>{HtmlEncode(g.SourceObject)}{(g.Fate == IssueFates.Skipped ? " <span class=\"empty\">(skipped)</span>" : string.Empty)}</td>")
                .Append(Culture, $"<td class=\"kind\"><code>{HtmlEncode(g.Kind)}</code></td><td>{(g.Field is null ? "<span class=\"empty\">—</span>" : $"<code>{HtmlEncode(g.Field)}</code>")}</td>")
                .Append(Culture, $"<td>{HtmlEncode(g.Pattern)}</td><td><ul class=\"examples\">");
            foreach (var e in g.Examples)
            {
                page.Append(Culture, $"<li><code>{HtmlEncode(e.SourceId)}</code> <span class=\"mono\">{HtmlEncode(e.File)}:{e.Line}</span> — {HtmlEncode(e.Message)}</li>");
            }

            page.Append("</ul></td></tr>\n");
        }

        page.Append("</tbody>\n</table>\n");
        if (groups.Count > GroupsShown)
        {
            var rest = groups.Skip(GroupsShown).ToList();
            page.Append(Culture, $"<p>…and {rest.Count:N0} smaller groups ({rest.Sum(g => g.Count):N0} records): see report.csv.</p>\n");
        }

        page.Append("</section>\n");
    }

    /// <summary>Per object, each sampled record's fields side by side: records with a difference open, with the
    /// differing rows marked; records that match on every field folded away.</summary>
    private static void Diff(StringBuilder page, IReadOnlyList<FieldDifference> diff)
    {
        var differing = diff.Count(d => !d.Matches);
        page.Append(Culture, $"<section id=\"diff\">\n<h2>Sample read back from the destination: {diff.Count:N0} fields compared, {differing:N0} differ</h2>\n");
        if (diff.Count == 0)
        {
            page.Append("<p class=\"empty\">No record was read back (nothing loaded).</p>\n</section>\n");
            return;
        }

        foreach (var byObject in diff.GroupBy(d => d.SourceObject, StringComparer.Ordinal))
        {
            var records = byObject.GroupBy(d => (d.SourceId, d.File, d.Line, d.ExternalId)).ToList();
            var open = records.Where(r => r.Any(d => !d.Matches)).ToList();
            var matching = records.Where(r => r.All(d => d.Matches)).ToList();
            page.Append(Culture, $"<h3>{HtmlEncode(byObject.Key)}: {records.Count:N0} records, {byObject.Count():N0} fields, {byObject.Count(d => !d.Matches):N0} differ</h3>\n");
            foreach (var record in open)
            {
                RecordTable(page, record.Key, [.. record]);
            }

            if (matching.Count > 0)
            {
                page.Append(Culture, $"<details><summary>{matching.Count:N0} {(matching.Count == 1 ? "record matches" : "records match")} on every field</summary>\n");
                foreach (var record in matching)
                {
                    RecordTable(page, record.Key, [.. record]);
                }

                page.Append("</details>\n");
            }
        }

        page.Append("</section>\n");
    }

    private static void RecordTable(StringBuilder page, (string SourceId, string File, long Line, string ExternalId) record, List<FieldDifference> fields)
    {
        page.Append(Culture, $"<table class=\"diff\">\n<caption>{HtmlEncode(record.SourceId)} · <span class=\"mono\">{HtmlEncode(record.File)}:{record.Line}</span> · <code>{HtmlEncode(record.ExternalId)}</code></caption>\n")
            .Append("<thead><tr><th>field</th><th>expected (mapped from the source)</th><th>in the destination</th></tr></thead>\n<tbody>\n");
        foreach (var d in fields)
        {
            page.Append(d.Matches ? "<tr>" : "<tr class=\"differs\">")
                .Append("<td><code>").Append(HtmlEncode(d.Field)).Append("</code></td><td>").Append(Value(d.Expected)).Append("</td><td>").Append(Value(d.Actual)).Append("</td></tr>\n");
        }

        page.Append("</tbody>\n</table>\n");
    }

    private static void Presence(StringBuilder page, IReadOnlyList<PresenceCheck> presence)
    {
        var missing = presence.Sum(p => (long)p.MissingExternalIds.Count);
        page.Append(Culture, $"<section id=\"presence\">\n<h2>Presence in the destination: {missing:N0} loaded records missing</h2>\n")
            .Append("<table>\n<thead><tr><th>object</th><th>target</th><th class=\"n\">written</th><th class=\"n\">found by external id</th><th>missing</th></tr></thead>\n<tbody>\n");
        foreach (var p in presence)
        {
            var listed = string.Join(", ", p.MissingExternalIds.Take(MissingShown).Select(m => $"<code>{HtmlEncode(m)}</code>"));
            var more = p.MissingExternalIds.Count > MissingShown ? string.Create(Culture, $" …and {p.MissingExternalIds.Count - MissingShown:N0} more") : string.Empty;
            page.Append(Culture, $"<tr><td>{HtmlEncode(p.SourceObject)}</td><td><code>{HtmlEncode(p.TargetModel)}</code></td><td class=\"n\">{p.Expected:N0}</td>")
                .Append(Culture, $"<td class=\"n\">{p.Found:N0}</td><td>{(p.MissingExternalIds.Count == 0 ? "<span class=\"ok\">none</span>" : listed + more)}</td></tr>\n");
        }

        page.Append("</tbody>\n</table>\n</section>\n");
    }

    private static string Plural(long count, string noun) => string.Create(Culture, $"{count:N0} {noun}{(count == 1 ? string.Empty : "s")}");

    private static string Value(string value) =>
        value.Length == 0 ? "<span class=\"empty\">(empty)</span>" : $"<div class=\"value\">{HtmlEncode(value)}</div>";
}
