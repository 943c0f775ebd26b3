using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Destinations.Odoo.Rpc;
using Flit.Sandbox.Odoo;
using Flit.Testing;

namespace Flit.Destinations.Odoo.Tests;

/// <summary>The destination's whole write path (fields_get, load, xmlid lookups, rollback) over each protocol.</summary>
public sealed class OdooProtocolTests
{
    /// <summary>Each protocol, on the first version that has it.</summary>
    public static TheoryData<OdooProtocol, string> Protocols() => new()
    {
        { OdooProtocol.XmlRpc, "17.0" },
        { OdooProtocol.JsonRpc, "18.0" },
        { OdooProtocol.Json2, "19.0" },
    };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task UpsertReadBackRollback_WorkTheSameOverEveryProtocol(OdooProtocol protocol, string version)
    {
        await using var sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions { Version = version }, CancellationToken.None);
        var client = await SandboxConnection.ConnectAsync(sandbox, protocol);
        await using var destination = new OdooDestination(client);
        var before = sandbox.Dump();
        DestinationRecord[] batch =
        [
            new("flit_acme.p_1", "contact", "1", "res.partner", new Dictionary<string, object?> { ["name"] = "Ada", ["email"] = "ada@acme.test" }, [], "h1", new SourceLocation("c.csv", 2)),
            new("flit_acme.p_2", "contact", "2", "res.partner", new Dictionary<string, object?> { ["name"] = "Bo" }, [], "h2", new SourceLocation("c.csv", 3)),
        ];

        var written = await destination.UpsertAsync("res.partner", batch, CancellationToken.None);
        var again = await destination.UpsertAsync("res.partner", batch, CancellationToken.None);
        var back = await destination.ReadBackAsync("res.partner", ["flit_acme.p_1", "flit_acme.p_2"], ["name"], CancellationToken.None);
        var undone = await destination.RollbackAsync(new RollbackRequest([.. written.Select(w => new RollbackItem("res.partner", w.DestinationId!, w.ExternalId, true, TimeProvider.System.GetUtcNow(), null))], Force: false, "t1"), CancellationToken.None);

        Assert.All(written, w => Assert.Equal(UpsertStatus.Created, w.Status));
        Assert.Equal(written.Select(w => w.DestinationId), again.Select(w => w.DestinationId));
        Assert.Equal(["Ada", "Bo"], back.OrderBy(b => b.ExternalId).Select(b => b.Values["name"]));
        Assert.Equal(2, undone.Deleted);
        Assert.Equal(before, sandbox.Dump());
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Upsert_AFilesBytes_LandAsTheirBase64TextOverEveryProtocol(OdooProtocol protocol, string version)
    {
        await using var sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions { Version = version }, CancellationToken.None);
        await using var destination = new OdooDestination(await SandboxConnection.ConnectAsync(sandbox, protocol));

        var bytes = Enumerable.Range(0, 300_001).Select(i => (byte)(i * 31 + 7)).ToArray();
        DestinationRecord file = new("flit_acme.f_1", "attachment", "1", "ir.attachment",
            new Dictionary<string, object?> { ["name"] = "scan.bin", ["type"] = "binary", ["datas"] = new FileBytes(bytes) }, [], "h1", new SourceLocation("a.csv", 2));

        var written = await destination.UpsertAsync("ir.attachment", [file], CancellationToken.None);
        var back = await destination.ReadBackAsync("ir.attachment", ["flit_acme.f_1"], ["datas"], CancellationToken.None);

        Assert.Equal(UpsertStatus.Created, Assert.Single(written).Status);
        Assert.Equal(Convert.ToBase64String(bytes), Assert.Single(back).Values["datas"]);
    }
}
