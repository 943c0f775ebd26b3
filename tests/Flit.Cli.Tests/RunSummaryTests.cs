using Flit.Activities.Reporting;
using Flit.Cli.Commands;

namespace Flit.Cli.Tests;

public sealed class RunSummaryTests
{
    private static readonly ReportFiles Files = new("/r/report.html", "/r/report.csv", "/r/report.json");

    private static RunReport Report(IReadOnlyList<IssueGroup> warnings) =>
        new("m1", "oncourse-odoo", "SAMPLE", "h", DateTimeOffset.UnixEpoch,
            [new ObjectCounts("note", "mail.message", 100, 90, 0, 6, 4)], [], [], [], [], [], warnings);

    private static IssueGroup Group(int count, string field, string example = "an example") =>
        new(IssueFates.Warning, "note", "link-dropped", field, $"{field} → contact '…' is not in the destination", count, [new IssueExample("N1", "notes.csv", 2, example)]);

    private static string[] Write(RunReport report, int? width = null)
    {
        using var output = new StringWriter();
        RunSummary.Write(output, width, "completed", report, Files);
        return output.ToString().TrimEnd().Split(Environment.NewLine);
    }

    [Fact]
    public void Write_ManyGroups_ShowsTheLargestWithOneExampleEachAndCountsTheRest()
    {
        var lines = Write(Report([.. Enumerable.Range(1, 9).Select(i => Group(100 - i, $"field_{i}"))]));

        Assert.Equal("Warnings: 855 in 9 groups", lines[3]);
        Assert.Equal("     99  note · link-dropped: field_1 → contact '…' is not in the destination", lines[4]);
        Assert.Equal("         e.g. N1 (notes.csv:2): an example", lines[5]);
        Assert.StartsWith("     96  note · link-dropped: field_4", lines[10], StringComparison.Ordinal);
        Assert.Equal("         …and 5 more groups (465) in the report", lines[12]);
        Assert.Equal(16, lines.Length);
        Assert.Equal(["Report: /r/report.html", "Every record not loaded and every warning: /r/report.csv", "All of it as JSON: /r/report.json"], lines[^3..]);
    }

    [Fact]
    public void Write_Counts_AreOneAlignedRowPerObject()
    {
        var lines = Write(Report([]));

        Assert.Equal("completed: 100 records → 90 created, 0 updated, 6 failed, 4 skipped by rule; 0 differences in the field-level diff.", lines[0]);
        Assert.Equal("  object  target        source  created  updated  unchanged  failed  skipped  conflicts", lines[1]);
        Assert.Equal("  note    mail.message     100       90        0          0       6        4          0", lines[2]);
    }

    [Fact]
    public void Write_ControlCharactersFromTheExport_ReachTheTerminalAsDots()
    {
        var lines = Write(Report([Group(1, "name", "name: '\u001b]0;owned\u0007\u001b[2J' \r\nforged line")]));

        Assert.Equal("         e.g. N1 (notes.csv:2): name: '·]0;owned··[2J' ··forged line", lines[5]);
        Assert.DoesNotContain(lines, l => l.Contains('\u001b', StringComparison.Ordinal));
    }

    [Fact]
    public void Write_NarrowTerminal_CutsEachGroupLineToItsWidth()
    {
        var lines = Write(Report([Group(3, "partner_id", new string('x', 300))]), width: 60);

        Assert.Equal(60, lines[5].Length);
        Assert.EndsWith("…", lines[5], StringComparison.Ordinal);
        Assert.Equal("Report: /r/report.html", lines[^3]);
    }
}
