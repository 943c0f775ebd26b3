using System.Diagnostics;
using System.Globalization;
using Flit.Samples;

/// <summary>
/// A whole full run of every Odoo pair (all its objects and attachments) against the costed Odoo sandbox: Odoo calls
/// per 1,000 source rows (goal ≤ 5), records written, the server-bound floor and the run's time as a multiple of it.
/// </summary>
internal static class OdooPairsBenchmark
{
    private static readonly string[] Pairs = ["arkcase-odoo", "casemanager-odoo", "oncourse-odoo", "actimo-odoo"];

    /// <param name="records">Records of each pair's main object (its other objects are proportional).</param>
    /// <param name="only">The pairs to run; every Odoo pair when empty.</param>
    public static async Task<int> RunAsync(int records, IReadOnlyCollection<string> only)
    {
        Console.WriteLine($"whole full runs to the Odoo sandbox ({CostedOdoo.Costs}), {records:N0} main records per pair, {Environment.ProcessorCount} cores");
        var work = Directory.CreateTempSubdirectory("flit-odoo-pairs-").FullName;
        var worst = 0.0;
        try
        {
            foreach (var pair in Pairs.Where(p => only.Count == 0 || only.Contains(p)))
            {
                var system = pair[..pair.IndexOf('-', StringComparison.Ordinal)];
                var exports = Path.Combine(work, $"{system}-exports");
                var manifest = SampleGenerator.Generate(system, exports, records, 11);
                var rows = manifest.Objects.Values.Sum();
                var users = Path.Combine(exports, "users.txt");
                await File.WriteAllLinesAsync(users, manifest.DestinationUsers);
                var folder = Directory.CreateDirectory(Path.Combine(work, $"{system}-run")).FullName;
                await FlitProcess.ProposeAndApproveAsync(folder, "pairs", pair, exports);
                await using var sandbox = await CostedOdoo.StartAsync(manifest.DestinationUsers);
                var clock = Stopwatch.StartNew();
                var (code, output) = await FlitProcess.RunAsync(folder, "run", "-m", "pairs", "--pair", pair, "--exports", exports, "--mode", "full", "--target", CostedOdoo.Target(sandbox),
                    "--destination-users", users, "--fallback-owner", manifest.DestinationUsers[0]);
                clock.Stop();
                worst = Math.Max(worst, CostedOdoo.Calls(sandbox) * 1000.0 / rows);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{pair}: {rows:N0} source rows, exit {code}: {FlitProcess.Summary(output)}"));
                Console.WriteLine("  " + await CostedOdoo.DescribeAsync(sandbox, rows, clock.Elapsed.TotalSeconds));
                Console.WriteLine("  calls: " + CostedOdoo.Breakdown(sandbox));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"most calls per 1,000 source rows of any pair: {worst:0.00}"));
        return 0;
    }
}
