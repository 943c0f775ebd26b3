using System.Globalization;
using System.Text.Json.Nodes;
using Flit.Destinations.Odoo.Rpc;
using Flit.Samples;
using Flit.Sandbox.Odoo;

namespace Flit.Cli.Tests;

/// <summary>
/// The delta-pickup window over the real <c>flit</c> and the Odoo sandbox: after a full run, a newer export with new,
/// changed, unchanged and removed contacts — one of the changed ones edited in Odoo meanwhile. The pass creates the new,
/// updates the changed, leaves the unchanged and the removed alone, and reports the edited one as a conflict with both
/// values instead of overwriting it; only <c>--force</c> overwrites it. Each pass rolls back on its own, newest first,
/// to the database as it was before it; then the migration's rollback gives back the database from before the migration.
/// </summary>
public sealed class DeltaPickupTests : IAsyncLifetime
{
    private const string Migration = "cutover";

    private const string EditedInOdoo = "Edited in Odoo by the sales team";

    private readonly string _root = Directory.CreateTempSubdirectory("flit-delta-").FullName;
    private OdooSandbox _odoo = null!;
    private string _exports = null!;
    private FlitProcess _flit = null!;

    public async Task InitializeAsync()
    {
        _exports = Path.Combine(_root, "exports");
        var manifest = SampleGenerator.Generate("oncourse", _exports, 80, 5, SampleOptions.Default with { WriteAttachments = true, LargeAttachmentBytes = 2048 });
        await File.WriteAllLinesAsync(Path.Combine(_root, "users.txt"), manifest.DestinationUsers);
        _odoo = await OdooSandbox.StartAsync(new OdooSandboxOptions { Users = SandboxUser.AdminAnd(manifest.DestinationUsers) }, CancellationToken.None);
        _flit = new FlitProcess(_root, new Dictionary<string, string> { ["FLIT_ODOO_PASSWORD"] = "admin" });
    }

    public async Task DisposeAsync()
    {
        await _odoo.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task DeltaPass_CreatesNewUpdatesChangedSkipsUnchangedReportsRemoved_AndLeavesADestinationEditAsItIs()
    {
        var beforeMigration = Comparable();
        await _flit.ProposeAndApproveAsync(Migration, "oncourse-odoo", _exports);
        var (code, output) = await _flit.RunAsync("run", "-m", Migration, "--pair", "oncourse-odoo", "--exports", _exports, "--mode", "full", "--batch-size", "40",
            "--tenant", "acme", "--destination-users", Path.Combine(_root, "users.txt"), "--target", $"odoo://admin@127.0.0.1:{_odoo.BaseAddress.Port}/sandbox", "--delta-window", "36h");
        Assert.True(code is 0 or 4, output);
        (code, output) = await _flit.RunAsync("status", "-m", Migration);
        Assert.True(code == 0 && output.Contains("Delta window: open until", StringComparison.Ordinal) && output.Contains("0 passes", StringComparison.Ordinal), output);

        var newer = NewerExports.Write(_exports, Path.Combine(_root, "newer"), out var changed, out var removed, out var added);
        var edited = changed[0];

        // Someone edits a changed contact in Odoo after the full run wrote it (in a later second: Odoo keeps write
        // dates to the second).
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        using var odoo = new OdooClient(new OdooClientOptions { Url = _odoo.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin" });
        await odoo.ConnectAsync(CancellationToken.None);
        var partnerId = await PartnerIdAsync(odoo, edited.Email);
        await odoo.ExecuteKwAsync("res.partner", "write", [new List<object?> { partnerId }, new Dictionary<string, object?> { ["function"] = EditedInOdoo }], null, CancellationToken.None);
        var beforeFirstPass = Comparable();

        (code, output) = await _flit.RunAsync("delta", "-m", Migration, "--exports", newer);
        Assert.True(code == 4, output);
        var pass = await PassReportAsync(output);
        var contacts = Contacts(pass);
        Assert.True((added.Count, changed.Count - 1, 1L) == (contacts["created"]!.GetValue<long>(), contacts["updated"]!.GetValue<long>(), contacts["conflicts"]!.GetValue<long>()), contacts.ToJsonString());
        Assert.Equal(80 - 1 - changed.Count, contacts["unchanged"]!.GetValue<long>());
        var gone = pass["removed"]!.AsArray().Single(r => r!["sourceObject"]!.GetValue<string>() == "contact")!;
        Assert.Equal((1L, removed.Id), (gone["count"]!.GetValue<long>(), gone["first"]![0]!["sourceId"]!.GetValue<string>()));

        // The edit is intact, the conflict names both values, and the removed contact is still in Odoo.
        Assert.Equal(EditedInOdoo, await FunctionAsync(odoo, partnerId));
        var conflict = pass["notLoaded"]!.AsArray().Single(n => n!["fate"]!.GetValue<string>() == "conflict")!["reason"]!.GetValue<string>();
        Assert.Contains($"function: destination '{EditedInOdoo}', source '{edited.Title}'", conflict, StringComparison.Ordinal);
        Assert.Equal(gone["first"]![0]!["destinationId"]!.GetValue<string>(), (await PartnerIdAsync(odoo, removed.Email)).ToString(CultureInfo.InvariantCulture));
        foreach (var other in changed.Skip(1))
        {
            Assert.Equal(other.Title, await FunctionAsync(odoo, await PartnerIdAsync(odoo, other.Email)));
        }

        var afterFirstPass = Comparable();
        (code, output) = await _flit.RunAsync("status", "-m", Migration);
        Assert.True(code == 0 && output.Contains("1 pass.", StringComparison.Ordinal) && output.Contains("2 updated", StringComparison.Ordinal) && output.Contains("1 conflicts", StringComparison.Ordinal), output);

        (code, output) = await _flit.RunAsync("report", "-m", Migration);
        Assert.True(code == 0 && output.Contains("Migration, full run and 1 pass:", StringComparison.Ordinal) && output.Contains("1 conflicts left as edited", StringComparison.Ordinal), output);

        // The migration's summary adds up what the runs wrote: the full run's contacts, and the pass's.
        var reports = Path.Combine(_root, ".flit", "migrations", Migration, "staging", "runs", Migration, "report");
        var fullRun = Contacts(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "report.json")))!);
        var summed = Contacts(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "report.migration.json")))!);
        Assert.Equal(fullRun["created"]!.GetValue<long>() + added.Count, summed["created"]!.GetValue<long>());
        Assert.Equal((changed.Count - 1L, 1L), (summed["updated"]!.GetValue<long>() - fullRun["updated"]!.GetValue<long>(), summed["conflicts"]!.GetValue<long>()));

        // Forced, a second pass over the same export writes only the record left as edited: the rest is unchanged now.
        (code, output) = await _flit.RunAsync("delta", "-m", Migration, "--exports", newer, "--force");
        Assert.True(code is 0 or 4, output);
        contacts = Contacts(await PassReportAsync(output));
        Assert.True((0L, 1L, 0L) == (contacts["created"]!.GetValue<long>(), contacts["updated"]!.GetValue<long>(), contacts["conflicts"]!.GetValue<long>()), contacts.ToJsonString());
        Assert.Equal(edited.Title, await FunctionAsync(odoo, partnerId));

        // Passes are undone newest first, each back to the database it found.
        (code, output) = await _flit.RunAsync("rollback", "-m", Migration, "--pass", "1");
        Assert.True(code == 2 && output.Contains("Roll back delta pass 2", StringComparison.Ordinal), output);
        (code, output) = await _flit.RunAsync("rollback", "-m", Migration, "--pass", "2");
        Assert.True(code == 0, output);
        Assert.Equal(afterFirstPass, Comparable());
        Assert.Equal(EditedInOdoo, await FunctionAsync(odoo, partnerId));
        (code, output) = await _flit.RunAsync("rollback", "-m", Migration, "--pass", "1");
        Assert.True(code == 0, output);
        Assert.Equal(beforeFirstPass, Comparable());

        // The migration's rollback leaves the contact the sales team edited as it is, unless forced.
        (code, output) = await _flit.RunAsync("rollback", "-m", Migration);
        Assert.True(code == 4 && string.Join(' ', output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)).Contains("was changed in Odoo", StringComparison.Ordinal), output);
        (code, output) = await _flit.RunAsync("rollback", "-m", Migration, "--force");
        Assert.True(code == 0, output);
        Assert.Equal(beforeMigration, Comparable());
    }

    /// <summary>The sandbox's database without write_date/write_uid, which no API sets back.</summary>
    private string Comparable() => OdooDumps.WithoutWriteStamps(_odoo.Dump());

    private static async Task<JsonNode> PassReportAsync(string output) =>
        JsonNode.Parse(await File.ReadAllTextAsync(FlitProcess.JsonReportPath(output)))!;

    private static JsonNode Contacts(JsonNode report) => report["objects"]!.AsArray().Single(o => o!["sourceObject"]!.GetValue<string>() == "contact")!;

    private static async Task<long> PartnerIdAsync(OdooClient odoo, string email)
    {
        var found = (List<object?>)(await odoo.ExecuteKwAsync("res.partner", "search", [new List<object?> { new List<object?> { "email", "=", email } }], null, CancellationToken.None))!;
        return Convert.ToInt64(Assert.Single(found), CultureInfo.InvariantCulture);
    }

    private static async Task<string?> FunctionAsync(OdooClient odoo, long partnerId)
    {
        var rows = (List<object?>)(await odoo.ExecuteKwAsync("res.partner", "read", [new List<object?> { partnerId }, new List<object?> { "function" }], null, CancellationToken.None))!;
        return ((IReadOnlyDictionary<string, object?>)rows[0]!)["function"] as string;
    }

}
