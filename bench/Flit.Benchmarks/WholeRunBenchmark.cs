using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flit.Samples;

/// <summary>
/// A whole migration, as a person runs it: a generated Oncourse export with every object and attachment files, then
/// <c>flit propose</c>, <c>approve</c> and <c>run --mode full</c>, the run in its own process. The process's resident
/// memory is sampled from outside (/proc), with the stage the run reports (its status.json), so each stage gets its
/// seconds, records per second and peak resident memory.
/// </summary>
internal static class WholeRunBenchmark
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <param name="rows">Source rows wanted (all objects together); contacts are about a third of them.</param>
    /// <param name="toOdoo">To the costed Odoo sandbox (<see cref="CostedOdoo"/>) rather than the rehearsal target.</param>
    public static async Task<int> RunAsync(IReadOnlyList<int> rows, bool toOdoo)
    {
        var work = Directory.CreateTempSubdirectory("flit-wholerun-").FullName;
        try
        {
            Console.WriteLine($"whole run, Oncourse CRM → {(toOdoo ? "the costed Odoo sandbox" : "rehearsal")}, {Environment.ProcessorCount} cores, .NET {Environment.Version}; resident memory read from outside every 50 ms (VmRSS, and VmHWM for peaks in between)");
            double? baseline = null;
            foreach (var size in rows)
            {
                var result = await MeasureAsync(work, size, toOdoo);
                baseline ??= result.Seconds / result.Rows;
                Console.WriteLine(result.Describe(baseline.Value));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    private sealed record Result(long Rows, double Seconds, long PeakBytes, IReadOnlyList<StageFigures> Stages, string Summary)
    {
        public string Describe(double baselinePerRow)
        {
            var lines = new List<string>
            {
                string.Create(Culture, $"{Rows:N0} source rows: {Seconds:0.0} s, {Rows / Seconds:N0} rows/s end to end, peak {PeakBytes / 1048576.0:0} MB resident, {Seconds / Rows / baselinePerRow:0.00}× the per-row cost of the first size"),
            };
            lines.AddRange(StageSampler.Table(Rows, Stages));
            lines.Add("  " + Summary);
            return string.Join(Environment.NewLine, lines);
        }
    }

    private static async Task<Result> MeasureAsync(string work, int rows, bool toOdoo)
    {
        // Oncourse generates ~3.25 rows (contacts, leads, deals, notes, tasks, attachments…) per contact.
        var contacts = Math.Max(100, (int)(rows / 3.25));
        var exports = Path.Combine(work, $"exports-{rows}");
        var manifest = SampleGenerator.Generate("oncourse", exports, contacts, 7, SampleOptions.Default with { LargeAttachmentBytes = 256 * 1024 });
        await File.WriteAllLinesAsync(Path.Combine(exports, "users.txt"), manifest.DestinationUsers);
        var total = manifest.Objects.Values.Sum();
        var folder = Directory.CreateDirectory(Path.Combine(work, $"run-{rows}")).FullName;
        var migration = $"bench{rows}";
        await FlitProcess.ProposeAndApproveAsync(folder, migration, "oncourse-odoo", exports);
        var status = Path.Combine(folder, ".flit", "migrations", migration, "status.json");
        await using var sandbox = toOdoo ? await CostedOdoo.StartAsync(manifest.DestinationUsers) : null;
        var target = sandbox is null ? "rehearsal" : CostedOdoo.Target(sandbox);
        using var process = FlitProcess.Start(folder, "run", "-m", migration, "--pair", "oncourse-odoo", "--exports", exports, "--mode", "full", "--target", target,
            "--destination-users", Path.Combine(exports, "users.txt"), "--fallback-owner", manifest.DestinationUsers[0]);
        var sampled = await StageSampler.WatchAsync(process, status);
        var (clock, peak, figures) = (sampled.Seconds, sampled.PeakBytes, sampled.Stages);
        var summary = FlitProcess.Summary(sampled.Output);
        if (sandbox is not null)
        {
            summary += Environment.NewLine + "  " + await CostedOdoo.DescribeAsync(sandbox, total, clock) + Environment.NewLine + "  calls: " + CostedOdoo.Breakdown(sandbox);
        }

        Directory.Delete(folder, recursive: true);
        Directory.Delete(exports, recursive: true);
        return new Result(total, clock, peak, figures, $"exit {process.ExitCode}: {summary}");
    }
}
