using System.Text.RegularExpressions;
using Flit.Samples;
using Microsoft.Data.Sqlite;

namespace Flit.Cli.Tests;

/// <summary>
/// End to end through the real command: a run killed at any moment and resumed ends exactly like an
/// uninterrupted run, and a run without a matching approval writes nothing.
/// </summary>
public sealed partial class ResumeAndApprovalTests : IDisposable
{
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private readonly string _root = Directory.CreateTempSubdirectory("flit-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<(FlitProcess Flit, string Workdir, string Exports)> PrepareAsync(string name, bool approve, IReadOnlyDictionary<string, string>? environment = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        var exports = Path.Combine(_root, "exports");
        if (!Directory.Exists(exports))
        {
            SampleGenerator.Generate("oncourse", exports, 400, 3, SampleOptions.Default with { WriteAttachments = true, LargeAttachmentBytes = 2048 });
        }

        var flit = new FlitProcess(folder, environment);
        var (code, output) = await flit.RunAsync("propose", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports);
        Assert.True(code == 0, output);
        var hash = SpecHash().Match(output).Groups[1].Value;
        if (approve)
        {
            (code, output) = await flit.RunAsync("approve", "-m", "m1", "--spec", hash, "--by", "dana@flitstack.io");
            Assert.True(code == 0, output);
        }

        return (flit, Path.Combine(folder, ".flit", "migrations", "m1"), exports);
    }

    /// <summary>A full run; the generated export's owners without a destination user go to its first user (without a
    /// fallback the run would stop before loading, as it must).</summary>
    private static string[] RunArgs(string exports, string target = "rehearsal")
    {
        var users = Path.Combine(exports, "users.txt");
        var fallback = File.Exists(users) ? File.ReadLines(users).FirstOrDefault(l => l.Contains('@', StringComparison.Ordinal)) : null;
        return ["run", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports, "--mode", "full", "--parallel", "1", "--batch-size", "50", "--destination-users", users, "--target", target,
            .. fallback is null ? Array.Empty<string>() : ["--fallback-owner", fallback]];
    }

    /// <summary>Everything the destination holds, and the run's counts.</summary>
    private static async Task<string> StateAsync(string migrationFolder)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(migrationFolder, "destination", "rehearsal.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT model, external_id, id, vals FROM records ORDER BY model, external_id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetString(0)}|{reader.GetString(1)}|{reader.GetInt64(2)}|{reader.GetString(3)}");
        }

        var report = await File.ReadAllTextAsync(Path.Combine(migrationFolder, "staging", "runs", "m1", "report", "report.json"));
        var counts = ObjectCounts().Match(report).Value;
        return string.Join('\n', rows) + "\n" + counts;
    }

    [Fact]
    public async Task Run_WithoutApproval_WritesNothingAndExitsNotApproved()
    {
        var (flit, migration, exports) = await PrepareAsync("unapproved", approve: false);
        await File.WriteAllLinesAsync(Path.Combine(exports, "users.txt"), []);

        var (code, output) = await flit.RunAsync(RunArgs(exports));

        Assert.Equal(3, code);
        Assert.Contains("nothing was written", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(migration, "destination", "sent")));
        Assert.False(Directory.Exists(Path.Combine(migration, "staging", "runs", "m1", "outcomes")));
    }

    [Fact]
    public async Task Resume_AfterKillsAtDifferentMoments_EndsIdenticalToAnUninterruptedRun()
    {
        var manifest = System.Text.Json.JsonSerializer.Deserialize<SampleManifest>(
            await File.ReadAllTextAsync(Path.Combine((await PrepareAsync("reference", approve: true)).Exports, "manifest.json")), WebJson)!;
        var exports = Path.Combine(_root, "exports");
        await File.WriteAllLinesAsync(Path.Combine(exports, "users.txt"), manifest.DestinationUsers);
        var reference = new FlitProcess(Path.Combine(_root, "reference"));
        var (referenceCode, referenceOutput) = await reference.RunAsync(RunArgs(exports));
        Assert.True(referenceCode is 0 or 4, referenceOutput);
        var expected = await StateAsync(Path.Combine(_root, "reference", ".flit", "migrations", "m1"));

        // Kill points at fixed fractions of the reference run's journal (first activity, a quarter, half, three
        // quarters), watched as the run progresses: the same coverage however fast the machine is.
        var referenceJournal = Path.Combine(_root, "reference", ".flit", "migrations", "m1", "journal.db");
        var total = await KillPoints.CountAsync(referenceJournal);
        Assert.True(total >= 8, $"the reference run journaled only {total} activities");
        var killedMidRun = 0;
        foreach (var reached in KillPoints.Spread(total))
        {
            var (flit, migration, _) = await PrepareAsync($"killed-{reached}", approve: true);
            using (var process = flit.Start(RunArgs(exports)))
            {
                if (await KillPoints.KillWhenJournalReachesAsync(process, Path.Combine(migration, "journal.db"), reached))
                {
                    killedMidRun++;
                }
            }

            // Killed before the run recorded its request, nothing had started: running again is the resume.
            var (code, output) = File.Exists(Path.Combine(migration, "request.json"))
                ? await flit.RunAsync("resume", "-m", "m1", "--parallel", "1")
                : await flit.RunAsync(RunArgs(exports));

            Assert.True(code == referenceCode, $"kill after {reached} of {total} activities: {output}");
            Assert.Equal(expected, await StateAsync(migration));
        }

        Assert.True(killedMidRun == 4, $"only {killedMidRun} of the kills hit a running process");

        // And the run can be undone: everything it created is gone from the destination.
        var (rollbackCode, rollbackOutput) = await reference.RunAsync("rollback", "-m", "m1");
        Assert.True(rollbackCode == 0, rollbackOutput);
        Assert.Equal(string.Empty, (await StateAsync(Path.Combine(_root, "reference", ".flit", "migrations", "m1"))).Split('\n')[0]);
    }

    [Fact]
    public async Task Resume_AfterKillsDuringAnOdooLoad_LeavesOdooIdenticalToAnUninterruptedRun_WithoutDuplicates()
    {
        var environment = new Dictionary<string, string> { ["FLIT_ODOO_PASSWORD"] = "admin" };
        var manifest = System.Text.Json.JsonSerializer.Deserialize<SampleManifest>(
            await File.ReadAllTextAsync(Path.Combine((await PrepareAsync("odoo-reference", approve: true, environment)).Exports, "manifest.json")), WebJson)!;
        var exports = Path.Combine(_root, "exports");
        await File.WriteAllLinesAsync(Path.Combine(exports, "users.txt"), manifest.DestinationUsers);

        // Each run gets its own Odoo (the sandbox over real HTTP) holding the client's users and a partner that
        // existed before the migration with the e-mail of a source contact: the run updates it rather than duplicating.
        var existingEmail = (await File.ReadAllLinesAsync(Path.Combine(exports, "contacts.csv"))).Skip(1).Select(l => l.Split(',')[5]).First(e => e.Contains('@', StringComparison.Ordinal));
        async Task<(Flit.Sandbox.Odoo.OdooSandbox Odoo, string Before)> StartOdooAsync()
        {
            var odoo = await Flit.Sandbox.Odoo.OdooSandbox.StartAsync(new Flit.Sandbox.Odoo.OdooSandboxOptions
            {
                Users = Flit.Sandbox.Odoo.SandboxUser.AdminAnd(manifest.DestinationUsers),
            }, CancellationToken.None);
            using var client = new Flit.Destinations.Odoo.Rpc.OdooClient(new Flit.Destinations.Odoo.Rpc.OdooClientOptions { Url = odoo.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin" });
            await client.ConnectAsync(CancellationToken.None);
            await client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?> { ["name"] = "Existing customer", ["email"] = existingEmail, ["city"] = "Leeds" }],
                new Dictionary<string, object?> { ["context"] = new Dictionary<string, object?> { ["mail_create_nolog"] = true } }, CancellationToken.None);
            return (odoo, Comparable(odoo.Dump()));
        }

        static string Target(Flit.Sandbox.Odoo.OdooSandbox odoo) => $"odoo://admin@127.0.0.1:{odoo.BaseAddress.Port}/sandbox";

        var (referenceOdoo, _) = await StartOdooAsync();
        await using var referenceOdooScope = referenceOdoo;
        var reference = new FlitProcess(Path.Combine(_root, "odoo-reference"), environment);
        var (referenceCode, referenceOutput) = await reference.RunAsync(RunArgs(exports, Target(referenceOdoo)));
        Assert.True(referenceCode is 0 or 4, referenceOutput);
        var expected = Comparable(referenceOdoo.Dump());
        Assert.Contains("\"crm.lead\"", expected, StringComparison.Ordinal);
        var total = await KillPoints.CountAsync(Path.Combine(_root, "odoo-reference", ".flit", "migrations", "m1", "journal.db"));

        var killedMidRun = 0;
        foreach (var reached in KillPoints.Spread(total))
        {
            var (odoo, before) = await StartOdooAsync();
            await using var odooScope = odoo;
            var (flit, migration, _) = await PrepareAsync($"odoo-killed-{reached}", approve: true, environment);
            using (var process = flit.Start(RunArgs(exports, Target(odoo))))
            {
                if (await KillPoints.KillWhenJournalReachesAsync(process, Path.Combine(migration, "journal.db"), reached))
                {
                    killedMidRun++;
                }
            }

            var (code, output) = File.Exists(Path.Combine(migration, "request.json"))
                ? await flit.RunAsync("resume", "-m", "m1", "--parallel", "1")
                : await flit.RunAsync(RunArgs(exports, Target(odoo)));

            Assert.True(code == referenceCode, $"kill after {reached} of {total} activities: {output}");
            Assert.Equal(expected, Comparable(odoo.Dump()));

            // The existing customer's pre-image was stored before the write, so even a run killed in the middle of
            // that write rolls back to exactly what Odoo held before.
            (code, output) = await flit.RunAsync("rollback", "-m", "m1");
            Assert.True(code == 0, output);
            Assert.Equal(before, Comparable(odoo.Dump()));
        }

        Assert.True(killedMidRun == 4, $"only {killedMidRun} of the kills hit a running process");
    }

    /// <summary>
    /// A sandbox dump without what the server sets from its clock or the writing user (no API sets them back):
    /// create/write dates and write_uid. A lost lead's date_closed, which Odoo stamps on every write of it, is compared:
    /// a batch cut off by the kill and written again on resume must leave it as first written.
    /// </summary>
    private static string Comparable(string dump) => OdooDumps.WithoutServerStamps(dump);

    [GeneratedRegex(@"Spec to approve: ([0-9a-f]{16})")]
    private static partial Regex SpecHash();

    [GeneratedRegex(@"""objects"": \[[^\]]*\]", RegexOptions.Singleline)]
    private static partial Regex ObjectCounts();
}
