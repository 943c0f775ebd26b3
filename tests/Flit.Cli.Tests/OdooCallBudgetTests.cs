using Flit.Samples;
using Flit.Sandbox.Odoo;
using Xunit.Abstractions;

namespace Flit.Cli.Tests;

/// <summary>
/// Odoo round trips over a whole full run of every Odoo pair (all its objects, attachments included), counted by the
/// sandbox: what a run costs Odoo beyond a fixed set-up (one fields_get per model, prepare's lookups, one read-back per
/// model) must grow by far less than 5 calls per 1,000 source rows, so that a migration of any real size stays under 5
/// per 1,000. Measured at two sizes of the same generated export: the difference is the cost of the extra rows.
/// </summary>
public sealed class OdooCallBudgetTests(ITestOutputHelper output)
{
    /// <summary>Calls per 1,000 extra source rows at most: loads of 1,000 rows, split where a default or a computed
    /// field must be left to Odoo, one snapshot lookup per batch of 4,000, one read-back per 5,000.</summary>
    private const double MarginalCallsPerThousand = 3.0;

    /// <summary>Calls of a small run (1,000–3,000 rows) at most: a run's fixed cost, whatever its size — about 17 for
    /// prepare, a fields_get and a default_get per model, a snapshot lookup per batch and three read-back calls per
    /// model (71–78 measured).</summary>
    private const int SmallRunCalls = 90;

    [Theory]
    [InlineData("arkcase-odoo")]
    [InlineData("casemanager-odoo")]
    [InlineData("oncourse-odoo")]
    [InlineData("actimo-odoo")]
    public async Task FullRun_OfEveryObject_CostsOdooAFixedSetUpAndFewCallsPerThousandRowsMore(string pair)
    {
        var (smallRows, smallCalls) = await MeasureAsync(pair, 300);
        var (largeRows, largeCalls) = await MeasureAsync(pair, 1500);

        var marginal = (largeCalls - smallCalls) * 1000.0 / (largeRows - smallRows);
        output.WriteLine($"{pair}: {smallCalls} calls for {smallRows} rows, {largeCalls} for {largeRows}: {marginal:0.00} per 1,000 more rows");
        Assert.True(smallCalls <= SmallRunCalls, $"{pair}: {smallCalls} calls for {smallRows} rows (at most {SmallRunCalls})");
        Assert.True(marginal <= MarginalCallsPerThousand, $"{pair}: {largeCalls - smallCalls} more calls for {largeRows - smallRows} more rows = {marginal:0.00} per 1,000 (at most {MarginalCallsPerThousand})");
    }

    private static async Task<(int Rows, int Calls)> MeasureAsync(string pair, int records)
    {
        var root = Directory.CreateTempSubdirectory("flit-calls-").FullName;
        try
        {
            var exports = Path.Combine(root, "exports");
            var manifest = SampleGenerator.Generate(pair[..pair.IndexOf('-', StringComparison.Ordinal)], exports, records, 5, SampleOptions.Default with { LargeAttachmentBytes = 4096 });
            var users = Path.Combine(exports, "users.txt");
            await File.WriteAllLinesAsync(users, manifest.DestinationUsers);
            await using var odoo = await OdooSandbox.StartAsync(new OdooSandboxOptions { Users = SandboxUser.AdminAnd(manifest.DestinationUsers) }, CancellationToken.None);
            var flit = new FlitProcess(root, new Dictionary<string, string> { ["FLIT_ODOO_PASSWORD"] = "admin" });
            await flit.ProposeAndApproveAsync("calls", pair, exports);
            var (code, output) = await flit.RunAsync("run", "-m", "calls", "--pair", pair, "--exports", exports, "--mode", "full", "--destination-users", users,
                "--fallback-owner", manifest.DestinationUsers[0], "--target", $"odoo://admin@127.0.0.1:{odoo.BaseAddress.Port}/sandbox");
            Assert.True(code is 0 or 4, output);
            Assert.Contains("created", output, StringComparison.Ordinal);
            return (manifest.Objects.Values.Sum(), odoo.Calls.Values.Sum());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
