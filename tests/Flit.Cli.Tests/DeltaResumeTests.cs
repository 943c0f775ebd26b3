using System.Text.Json.Nodes;
using Flit.Samples;
using Flit.Sandbox.Odoo;

namespace Flit.Cli.Tests;

/// <summary>
/// A delta pass killed at different moments, then resumed with <c>flit resume</c>, leaves Odoo exactly as an
/// uninterrupted pass does, and reports the same counts: completed batches are not redone, and a record the first try
/// updated is not reported as created by the second.
/// </summary>
public sealed class DeltaResumeTests : IAsyncLifetime
{
    private const string Migration = "cut";

    private static readonly Dictionary<string, string> Environment = new() { ["FLIT_ODOO_PASSWORD"] = "admin" };

    private readonly string _root = Directory.CreateTempSubdirectory("flit-delta-resume-").FullName;
    private readonly Dictionary<string, string> _before = [];
    private string _exports = null!;
    private string _newer = null!;
    private IReadOnlyList<string> _users = null!;

    public async Task InitializeAsync()
    {
        _exports = Path.Combine(_root, "exports");
        _users = SampleGenerator.Generate("oncourse", _exports, 60, 9, SampleOptions.Default with { WriteAttachments = true, LargeAttachmentBytes = 2048 }).DestinationUsers;
        await File.WriteAllLinesAsync(Path.Combine(_root, "users.txt"), _users);
        _newer = NewerExports.Write(_exports, Path.Combine(_root, "newer"), out _, out _, out _);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A fresh Odoo and a full run into it: where each pass starts (and the Odoo from before it).</summary>
    private async Task<(OdooSandbox Odoo, FlitProcess Flit, string Journal)> FullRunAsync(string name)
    {
        var odoo = await OdooSandbox.StartAsync(new OdooSandboxOptions { Users = SandboxUser.AdminAnd(_users) }, CancellationToken.None);
        _before[name] = Comparable(odoo.Dump());
        var folder = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        var flit = new FlitProcess(folder, Environment);
        await flit.ProposeAndApproveAsync(Migration, "oncourse-odoo", _exports);
        var (code, output) = await flit.RunAsync("run", "-m", Migration, "--pair", "oncourse-odoo", "--exports", _exports, "--mode", "full", "--parallel", "1", "--batch-size", "25",
            "--destination-users", Path.Combine(_root, "users.txt"), "--target", $"odoo://admin@127.0.0.1:{odoo.BaseAddress.Port}/sandbox");
        Assert.True(code is 0 or 4, output);
        return (odoo, flit, Path.Combine(folder, ".flit", "migrations", Migration, "journal.db"));
    }

    private string[] DeltaArgs() => ["delta", "-m", Migration, "--exports", _newer, "--parallel", "1"];

    [Fact]
    public async Task DeltaPass_KilledAtDifferentMomentsThenResumed_LeavesOdooAsAnUninterruptedPass()
    {
        var (referenceOdoo, reference, referenceJournal) = await FullRunAsync("reference");
        await using var referenceScope = referenceOdoo;
        var fullRun = await KillPoints.CountAsync(referenceJournal);
        var (referenceCode, referenceOutput) = await reference.RunAsync(DeltaArgs());
        Assert.True(referenceCode is 0 or 4, referenceOutput);
        var expected = Comparable(referenceOdoo.Dump());
        var expectedCounts = await CountsAsync(referenceOutput);
        var pass = await KillPoints.CountAsync(referenceJournal) - fullRun;
        Assert.True(pass >= 8, $"the pass journaled only {pass} activities");

        var killedMidPass = 0;
        foreach (var reached in KillPoints.Spread(pass))
        {
            var (odoo, flit, journal) = await FullRunAsync($"killed-{reached}");
            await using var scope = odoo;
            using (var process = flit.Start(DeltaArgs()))
            {
                if (await KillPoints.KillWhenJournalReachesAsync(process, journal, fullRun + reached))
                {
                    killedMidPass++;
                }
            }

            var (code, output) = await flit.RunAsync("resume", "-m", Migration, "--parallel", "1");

            Assert.True(code == referenceCode, $"kill after {reached} of {pass} activities of the pass: {output}");
            Assert.Equal(expected, Comparable(odoo.Dump()));
            Assert.Equal(expectedCounts, await CountsAsync(output));
        }

        Assert.True(killedMidPass == 4, $"only {killedMidPass} of the kills hit a running pass");

        // The migration's rollback undoes the pass, then the full run: Odoo as it was before either.
        var (rollbackCode, rollbackOutput) = await reference.RunAsync("rollback", "-m", Migration);
        Assert.True(rollbackCode == 0, rollbackOutput);
        Assert.Equal(_before["reference"], Comparable(referenceOdoo.Dump()));
    }

    /// <summary>The pass report's counts per object.</summary>
    private static async Task<string> CountsAsync(string output)
    {
        var report = JsonNode.Parse(await File.ReadAllTextAsync(FlitProcess.JsonReportPath(output)))!;
        return report["objects"]!.ToJsonString();
    }

    private static string Comparable(string dump) => OdooDumps.WithoutServerStamps(dump);
}
