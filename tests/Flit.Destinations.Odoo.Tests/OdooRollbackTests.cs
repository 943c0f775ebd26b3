using System.Text.Json.Nodes;
using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Destinations.Odoo.Rpc;
using Flit.Sandbox.Odoo;

namespace Flit.Destinations.Odoo.Tests;

/// <summary>Rollback exactness: a sandbox with data, a run that creates and updates, a rollback, the same data again.</summary>
public sealed class OdooRollbackTests : IAsyncLifetime
{
    private OdooSandbox _sandbox = null!;
    private OdooClient _client = null!;
    private OdooDestination _destination = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions(), CancellationToken.None);
        _client = new OdooClient(new OdooClientOptions { Url = _sandbox.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin", Protocol = OdooProtocol.XmlRpc });
        await _client.ConnectAsync(CancellationToken.None);
        _destination = new OdooDestination(_client);
    }

    public async Task DisposeAsync()
    {
        await _destination.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    /// <summary>The dump without write_date/write_uid: no API can set them back (facts: dropped from client values).</summary>
    private string Comparable()
    {
        var dump = JsonNode.Parse(_sandbox.Dump())!.AsObject();
        foreach (var (_, records) in dump)
        {
            foreach (var record in records!.AsArray())
            {
                record!.AsObject().Remove("write_date");
                record.AsObject().Remove("write_uid");
            }
        }

        return dump.ToJsonString();
    }

    private static DestinationRecord Record(string model, string id, params (string Field, object? Value)[] values) =>
        new($"flit_acme.test_{id}", "obj", id, model, values.ToDictionary(v => v.Field, v => v.Value), [], "h", new SourceLocation("f.csv", 2));

    private async Task<List<RollbackItem>> LoadAsync()
    {
        DestinationRecord[] batch =
        [
            Record("res.partner", "p1", ("name", "Existing, renamed"), ("email", "ex@acme.test"), ("phone", "+44 1")),
            Record("res.partner", "p2", ("name", "New One"), ("email", "new@acme.test")),
        ];
        var preImages = await _destination.SnapshotAsync("res.partner", batch, CancellationToken.None);
        var partners = await _destination.UpsertAsync("res.partner", batch, CancellationToken.None);
        var leads = await _destination.UpsertAsync("crm.lead", [Record("crm.lead", "l1", ("name", "Deal"), ("type", "opportunity"), ("partner_id", partners[1].DestinationId))], CancellationToken.None);
        var writtenAt = TimeProvider.System.GetUtcNow();
        return [.. leads.Concat(partners).Select(o => new RollbackItem(
            o.ExternalId.Contains("_l", StringComparison.Ordinal) ? "crm.lead" : "res.partner", o.DestinationId!, o.ExternalId, o.Status == UpsertStatus.Created, writtenAt, preImages.GetValueOrDefault(o.ExternalId)))];
    }

    [Fact]
    public async Task Rollback_AfterCreatesAndAnEmailMatchedUpdate_RestoresTheDumpFieldByField()
    {
        await _client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?> { ["name"] = "Existing", ["email"] = "ex@acme.test", ["city"] = "Leeds" }], null, CancellationToken.None);
        var before = Comparable();

        var items = await LoadAsync();
        Assert.Contains(items, i => !i.Created && i.PreImage!["name"] as string == "Existing");
        Assert.NotEqual(before, Comparable());
        var outcome = await _destination.RollbackAsync(items, force: false, CancellationToken.None);

        Assert.Equal((2, 1), (outcome.Deleted, outcome.Restored));
        Assert.Empty(outcome.Conflicts);
        Assert.Equal(before, Comparable());
    }

    [Fact]
    public async Task Rollback_RecordChangedInOdooAfterOurWrite_IsAConflictLeftAloneUnlessForced()
    {
        var items = await LoadAsync();
        var lead = items.First(i => i.Model == "crm.lead");
        await Task.Delay(1100);
        await _client.ExecuteKwAsync("crm.lead", "write", [new object?[] { long.Parse(lead.DestinationId, System.Globalization.CultureInfo.InvariantCulture) }, new Dictionary<string, object?> { ["name"] = "Edited by a salesperson" }], null, CancellationToken.None);

        var careful = await _destination.RollbackAsync([lead], force: false, CancellationToken.None);
        var forced = await _destination.RollbackAsync([lead], force: true, CancellationToken.None);

        Assert.Contains("changed in Odoo", Assert.Single(careful.Conflicts), StringComparison.Ordinal);
        Assert.Equal(0, careful.Deleted);
        Assert.Equal(1, forced.Deleted);
    }
}
