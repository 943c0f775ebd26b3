namespace Flit.Cli.Tests;

/// <summary>The README's first command, run for real once for the tests of this class.</summary>
public sealed class DemoFixture : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("flit-demo-").FullName;

    public int ExitCode { get; private set; }

    public string[] Lines { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var (code, output) = await new FlitProcess(Root).RunAsync("demo", "--pair", "oncourse-odoo", "--records", "300");
        (ExitCode, Lines) = (code, output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray());
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>What the terminal shows after a run: a screenful that ends with where the report is, not the report.</summary>
public sealed class TerminalSummaryTests(DemoFixture demo) : IClassFixture<DemoFixture>
{
    private const string Migration = "demo-oncourse-odoo-42";

    [Fact]
    public void Demo_Output_EndsWithAShortSummaryAndTheReportPaths()
    {
        Assert.True(demo.ExitCode == 0, string.Join('\n', demo.Lines));
        // Redirected, the progress bar prints a line per refresh, as many as the machine's speed gives: the summary
        // is what follows it.
        var summary = Array.FindIndex(demo.Lines, l => l.StartsWith("completed: ", StringComparison.Ordinal));
        Assert.True(summary > Array.FindIndex(demo.Lines, l => l.StartsWith("5. Sample migration", StringComparison.Ordinal)), string.Join('\n', demo.Lines));
        var after = demo.Lines[summary..];

        Assert.True(after.Length < 45, $"{after.Length} lines after the progress bar:\n{string.Join('\n', after)}");
        Assert.Contains(after, l => l.StartsWith("Not loaded: ", StringComparison.Ordinal));
        Assert.Contains(after, l => l.StartsWith("Warnings: ", StringComparison.Ordinal));
        Assert.True(after.Count(l => l.TrimStart().StartsWith("e.g. ", StringComparison.Ordinal)) <= 8, string.Join('\n', after));
        var paths = after[^4..^1];
        Assert.Equal(["Report: ", "Every record not loaded and every warning: ", "All of it as JSON: "], paths.Select(p => p[..(p.IndexOf(": ", StringComparison.Ordinal) + 2)]));
        Assert.Equal(["report.html", "report.csv", "report.json"], paths.Select(p => Path.GetFileName(p)));
        Assert.All(paths, p => Assert.True(File.Exists(p[(p.IndexOf(": ", StringComparison.Ordinal) + 2)..]), p));
        Assert.StartsWith("Status: flit status", after[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_AfterARun_PrintsTheSummaryAndThePathsNotThePage()
    {
        var (code, output) = await new FlitProcess(demo.Root).RunAsync("report", "-m", Migration);

        var lines = output.TrimEnd().Split('\n');
        Assert.True(code == 0, output);
        Assert.True(lines.Length < 40, output);
        Assert.StartsWith($"Migration {Migration} (oncourse-odoo, sample run", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("reconciled: ", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("report.html", lines[^3].TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("<", output, StringComparison.Ordinal);
    }
}
