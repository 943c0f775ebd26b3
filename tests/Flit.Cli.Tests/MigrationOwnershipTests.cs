using System.Text.Json;
using System.Text.Json.Nodes;
using Flit.Destinations.Odoo.Rpc;
using Flit.Samples;
using Flit.Sandbox.Odoo;

namespace Flit.Cli.Tests;

/// <summary>
/// A record belongs to the run that created it. Two migrations of one tenant share external ids: the second updates
/// what the first created, a re-run of the first changes nothing, and each rollback undoes only its own run — down to
/// the database as it was before either, field by field.
/// </summary>
public sealed class MigrationOwnershipTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Environment = new() { ["FLIT_ODOO_PASSWORD"] = "admin" };

    private readonly string _root = Directory.CreateTempSubdirectory("flit-ownership-").FullName;
    private OdooSandbox _odoo = null!;
    private string _exports = null!;
    private FlitProcess _flit = null!;

    public async Task InitializeAsync()
    {
        _exports = Path.Combine(_root, "exports");
        var manifest = SampleGenerator.Generate("oncourse", _exports, 150, 11, SampleOptions.Default with { WriteAttachments = true, LargeAttachmentBytes = 2048 });
        await File.WriteAllLinesAsync(Path.Combine(_exports, "users.txt"), manifest.DestinationUsers);
        _odoo = await OdooSandbox.StartAsync(new OdooSandboxOptions
        {
            Users = SandboxUser.AdminAnd(manifest.DestinationUsers),
        }, CancellationToken.None);

        // A contact of the client's own, with the e-mail of a source contact: the first migration updates it.
        var existingEmail = (await File.ReadAllLinesAsync(Path.Combine(_exports, "contacts.csv"))).Skip(1).Select(l => l.Split(',')[5]).First(e => e.Contains('@', StringComparison.Ordinal));
        using var client = new OdooClient(new OdooClientOptions { Url = _odoo.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin" });
        await client.ConnectAsync(CancellationToken.None);
        await client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?> { ["name"] = "Existing customer", ["email"] = existingEmail, ["city"] = "Leeds", ["phone"] = "+44 113 496 0000" }],
            new Dictionary<string, object?> { ["context"] = new Dictionary<string, object?> { ["mail_create_nolog"] = true } }, CancellationToken.None);
        _flit = new FlitProcess(_root, Environment);
    }

    public async Task DisposeAsync()
    {
        await _odoo.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<(int Code, JsonArray Counts)> MigrateAsync(string migration)
    {
        await _flit.ProposeAndApproveAsync(migration, "oncourse-odoo", _exports);
        var (code, output) = await _flit.RunAsync("run", "-m", migration, "--pair", "oncourse-odoo", "--exports", _exports, "--mode", "full", "--batch-size", "40",
            "--tenant", "acme", "--destination-users", Path.Combine(_exports, "users.txt"), "--target", $"odoo://admin@127.0.0.1:{_odoo.BaseAddress.Port}/sandbox");
        Assert.True(code is 0 or 4, output);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_root, ".flit", "migrations", migration, "staging", "runs", migration, "report", "report.json")))!;
        return (code, report["objects"]!.AsArray());
    }

    private static long Sum(JsonArray counts, string name) => counts.Sum(c => c![name]!.GetValue<long>());

    /// <summary>The dump without write_date/write_uid, which no API sets back.</summary>
    private string Comparable() => OdooDumps.WithoutWriteStamps(_odoo.Dump());

    [Fact]
    public async Task SecondMigrationOfATenant_UpdatesTheFirstsRecords_ReRunsChangeNothing_EachRollbackUndoesOnlyItsOwn()
    {
        var before = Comparable();

        var (_, first) = await MigrateAsync("first");
        var afterFirst = Comparable();
        Assert.True(Sum(first, "created") > 100, first.ToJsonString());
        Assert.Equal(1, Sum(first, "updated"));

        // A re-run of the same migration: nothing is created again, nothing is sent again.
        var (_, again) = await MigrateAsync("first");
        Assert.True((0L, 0L) == (Sum(again, "created"), Sum(again, "updated")), again.ToJsonString());
        Assert.Equal(Sum(first, "created") + Sum(first, "updated"), Sum(again, "unchanged"));
        Assert.Equal(afterFirst, Comparable());

        // Another migration of the tenant meets every record under the xmlid the first gave it: all updates.
        var (_, second) = await MigrateAsync("second");
        Assert.Equal(0, Sum(second, "created"));
        Assert.Equal(Sum(first, "created") + Sum(first, "updated"), Sum(second, "updated"));

        var (code, output) = await _flit.RunAsync("rollback", "-m", "second");
        Assert.True(code == 0, output);
        Assert.Equal(afterFirst, Comparable());

        // The second migration wrote the first's records after it (Odoo's write_date says so, and nothing tells whose
        // write that was): a careful rollback of the first leaves them alone and says why; forced, it undoes all.
        (code, output) = await _flit.RunAsync("rollback", "-m", "first");
        Assert.True(code == 4 && string.Join(' ', output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)).Contains("was changed in Odoo", StringComparison.Ordinal), output);
        Assert.Equal(afterFirst, Comparable());
        (code, output) = await _flit.RunAsync("rollback", "-m", "first", "--force");
        Assert.True(code == 0, output);
        Assert.Equal(before, Comparable());
    }
}
