using System.Globalization;
using System.Text;
using Flit.Activities.Reporting;

namespace Flit.Cli.Commands;

/// <summary>The report's files on this machine.</summary>
internal sealed record ReportFiles(string Html, string Csv, string Json);

/// <summary>
/// What the terminal shows at the end of a run and for <c>flit report</c>: the totals, counts per object, the largest
/// groups of failures and warnings with one example each, and where the report is. A screenful, however many
/// records failed: the page and report.csv hold the rest.
/// </summary>
/// <remarks>
/// Written as plain lines rather than through Spectre's layout: Spectre hard-wraps at 80 columns when the output
/// is redirected, which breaks the paths in two and squeezes the table; plain lines stay whole, so a path can be
/// copied from a terminal or a log.
/// </remarks>
internal static class RunSummary
{
    /// <summary>Groups printed per section, two lines each.</summary>
    internal const int GroupsShown = 4;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private static readonly string[] Columns = ["object", "target", "source", "created", "updated", "unchanged", "failed", "skipped", "conflicts"];

    /// <param name="output">Where to write.</param>
    /// <param name="width">The terminal's width, to cut long group lines to; null (output redirected) keeps them whole.</param>
    /// <param name="status">The run's status word, or what the report is (e.g. "reconciled").</param>
    /// <param name="report">The run's report.json.</param>
    /// <param name="files">Where the report's files are.</param>
    public static void Write(TextWriter output, int? width, string status, RunReport report, ReportFiles files)
    {
        var totals = report.Totals();
        output.WriteLine(Plain(string.Create(Culture,
            $"{status}: {totals.Source:N0} records → {totals.Created:N0} created, {totals.Updated:N0} updated{(totals.Unchanged > 0 ? $", {totals.Unchanged:N0} unchanged" : string.Empty)}, {totals.Failed:N0} failed, {totals.Skipped:N0} skipped by rule{(totals.Conflicts > 0 ? $", {totals.Conflicts:N0} conflicts left as edited in the destination" : string.Empty)}{(report.Removed is not null ? $", {report.RemovedTotal:N0} removed at the source (left in the destination)" : string.Empty)}; {report.Mismatches:N0} differences in the field-level diff.")));
        Table(output, report.Objects);
        Groups(output, width, "Not loaded", report.NotLoadedGroups);
        Groups(output, width, "Warnings", report.WarningGroups);
        output.WriteLine($"Report: {files.Html}");
        output.WriteLine($"Every record not loaded and every warning: {files.Csv}");
        output.WriteLine($"All of it as JSON: {files.Json}");
    }

    private static void Table(TextWriter output, IReadOnlyList<ObjectCounts> objects)
    {
        var rows = objects.Select(c => new[] { Plain(c.SourceObject), Plain(c.TargetModel), N(c.Source), N(c.Created), N(c.Updated), N(c.Unchanged), N(c.Failed), N(c.Skipped), N(c.Conflicts) }).ToList();
        var widths = Columns.Select((header, i) => rows.Select(r => r[i].Length).Append(header.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(Columns))
        {
            // Names left-aligned, counts right-aligned.
            output.WriteLine("  " + string.Join("  ", row.Select((cell, i) => i < 2 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
        }
    }

    private static void Groups(TextWriter output, int? width, string title, IReadOnlyList<IssueGroup> groups)
    {
        if (groups.Count == 0)
        {
            return;
        }

        output.WriteLine(string.Create(Culture, $"{title}: {groups.Sum(g => g.Count):N0} in {groups.Count:N0} {(groups.Count == 1 ? "group" : "groups")}"));
        foreach (var g in groups.Take(GroupsShown))
        {
            var fate = g.Fate == IssueFates.Skipped ? " (skipped)" : string.Empty;
            // Most patterns start with the field they concern; it is named once.
            var field = g.Field is null || g.Pattern.StartsWith(g.Field, StringComparison.Ordinal) ? string.Empty : $" · {g.Field}";
            output.WriteLine(Fit(string.Create(Culture, $"{g.Count,7:N0}  {g.SourceObject}{fate} · {g.Kind}{field}: {g.Pattern}"), width));
            if (g.Examples.Count > 0)
            {
                var e = g.Examples[0];
                output.WriteLine(Fit(string.Create(Culture, $"         e.g. {e.SourceId} ({e.File}:{e.Line}): {e.Message}"), width));
            }
        }

        if (groups.Count > GroupsShown)
        {
            var rest = groups.Skip(GroupsShown).ToList();
            output.WriteLine(string.Create(Culture, $"         …and {rest.Count:N0} more {(rest.Count == 1 ? "group" : "groups")} ({rest.Sum(g => g.Count):N0}) in the report"));
        }
    }

    /// <summary>One line, cut to the terminal's width so that a long message stays one line.</summary>
    private static string Fit(string text, int? width)
    {
        var plain = Plain(text);
        return width is not { } w || plain.Length <= w ? plain : string.Concat(plain.AsSpan(0, Math.Max(1, w - 1)), "…");
    }

    /// <summary>Control characters from the export made visible: an escape sequence in a name could otherwise
    /// restyle or rewrite the terminal, and a line break would forge lines of the summary.</summary>
    internal static string Plain(string text)
    {
        var plain = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            plain.Append(char.IsControl(c) ? '·' : c);
        }

        return plain.ToString();
    }

    private static string N(long value) => value.ToString("N0", Culture);
}
