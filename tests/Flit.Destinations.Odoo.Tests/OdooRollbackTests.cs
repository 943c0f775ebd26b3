using System.Text.Json.Nodes;
using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Destinations.Odoo.Rpc;
using Flit.Sandbox.Odoo;
using Flit.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Flit.Destinations.Odoo.Tests;

/// <summary>
/// Rollback exactness against the sandbox: a database with data of its own (a company with a country, a contact under
/// it with a phone and custom fields, a user), a run that creates, updates and adds custom fields, a rollback — and the
/// same database again, field by field, every model, over every protocol.
/// </summary>
public sealed class OdooRollbackTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private OdooSandbox _sandbox = null!;

    public async Task InitializeAsync() =>
        _sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions
        {
            Time = _time,
            Users = [new SandboxUser("admin", "admin", "admin@sandbox.example", "Administrator", "admin-api-key"), new SandboxUser("ann", "pw", "ann@acme.test", "Ann Lee")],
        }, CancellationToken.None);

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<(OdooClient Client, OdooDestination Destination)> ConnectAsync(OdooProtocol protocol)
    {
        var client = await SandboxConnection.ConnectAsync(_sandbox, protocol);
        return (client, new OdooDestination(client));
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

    /// <summary>What the client's Odoo holds before the migration: its own company with a country, a contact under it
    /// with a phone and values in custom fields (an integer one too), created by someone else.</summary>
    private static async Task<long> SeedExistingDataAsync(OdooClient client)
    {
        var context = new Dictionary<string, object?> { ["context"] = new Dictionary<string, object?> { ["mail_create_nolog"] = true } };
        var australia = (long)((List<object?>)(await client.ExecuteKwAsync("res.country", "search", [new List<object?> { new List<object?> { "code", "=", "AU" } }], null, CancellationToken.None))!)[0]!;
        var model = (long)((List<object?>)(await client.ExecuteKwAsync("ir.model", "search", [new List<object?> { new List<object?> { "model", "=", "res.partner" } }], null, CancellationToken.None))!)[0]!;
        await client.ExecuteKwAsync("ir.model.fields", "create", [new Dictionary<string, object?> { ["name"] = "x_legacy_code", ["model_id"] = model, ["field_description"] = "Legacy code", ["ttype"] = "char" }], null, CancellationToken.None);
        await client.ExecuteKwAsync("ir.model.fields", "create", [new Dictionary<string, object?> { ["name"] = "x_legacy_score", ["model_id"] = model, ["field_description"] = "Legacy score", ["ttype"] = "integer" }], null, CancellationToken.None);
        var globex = (long)(await client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?> { ["name"] = "Globex", ["is_company"] = true, ["country_id"] = australia, ["city"] = "Sydney" }], context, CancellationToken.None))!;
        return (long)(await client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?>
        {
            ["name"] = "Existing", ["email"] = "ex@acme.test", ["phone"] = "+61 2 5550 1000", ["parent_id"] = globex, ["type"] = "other",
            ["country_id"] = australia, ["x_legacy_code"] = "L-1", ["x_legacy_score"] = 7L,
        }], context, CancellationToken.None))!;
    }

    /// <summary>A run as the load activity drives it: prepare, snapshot before the write, upsert; the items a rollback gets.</summary>
    private async Task<List<RollbackItem>> RunAsync(OdooDestination destination, string tag, params DestinationRecord[] partners)
    {
        await destination.PrepareAsync(new PreparePlan(
            [new CustomFieldPlan("res.partner", "x_run_count", "integer", "Run count"), new CustomFieldPlan("res.partner", "x_run_note", "char", "Run note")],
            [], [], null, "flit_acme", tag), CancellationToken.None);
        var company = await destination.UpsertAsync("res.partner", [Record("res.partner", "newco", ("name", "Newco"), ("is_company", true))], CancellationToken.None);
        var batch = partners.Select(p => p with { Values = new Dictionary<string, object?>(p.Values) { ["parent_id"] = company[0].DestinationId } }).ToList();
        var before = await destination.SnapshotAsync("res.partner", batch, CancellationToken.None);
        var written = await destination.UpsertAsync("res.partner", batch, CancellationToken.None);
        var at = _time.GetUtcNow();
        return [.. written.Where(w => w.Status != UpsertStatus.Failed).Select(w => new RollbackItem("res.partner", w.DestinationId!, w.ExternalId, !before.ContainsKey(w.ExternalId), at, before.GetValueOrDefault(w.ExternalId))),
            new RollbackItem("res.partner", company[0].DestinationId!, company[0].ExternalId, true, at, null)];
    }

    [Theory]
    [InlineData(OdooProtocol.XmlRpc)]
    [InlineData(OdooProtocol.JsonRpc)]
    public async Task Rollback_AfterCreatesAnEmailMatchAndNewCustomFields_RestoresEveryModelFieldByField(OdooProtocol protocol)
    {
        var (client, destination) = await ConnectAsync(protocol);
        await using var scope = destination;
        var existing = await SeedExistingDataAsync(client);
        var before = Comparable();

        var items = await RunAsync(destination, "t1",
            Record("res.partner", "p1", ("name", "Existing, renamed"), ("email", "ex@acme.test"), ("phone", "+44 1"), ("x_legacy_score", 9L), ("x_run_count", 5L), ("x_run_note", "from the run")),
            Record("res.partner", "p2", ("name", "New One"), ("email", "new@acme.test"), ("x_run_count", 1L)));
        var matched = Assert.Single(items, i => !i.Created);
        Assert.Equal(existing.ToString(System.Globalization.CultureInfo.InvariantCulture), matched.DestinationId);
        Assert.False(matched.PreImage!.ExternalIdExisted);
        Assert.NotEqual(before, Comparable());
        _time.Advance(TimeSpan.FromMinutes(5));

        var outcome = await destination.RollbackAsync(new RollbackRequest(items, Force: false, "t1"), CancellationToken.None);

        Assert.Empty(outcome.Conflicts);
        Assert.Empty(outcome.Failures);
        Assert.Equal((2, 1, 2), (outcome.Deleted, outcome.Restored, outcome.DroppedFields));
        Assert.Equal(before, Comparable());
    }

    [Fact]
    public async Task Rollback_InChunksThenAFinalRequest_RestoresTheSameAndDropsTheFieldsOnlyAtTheEnd()
    {
        var (client, destination) = await ConnectAsync(OdooProtocol.XmlRpc);
        await using var scope = destination;
        await SeedExistingDataAsync(client);
        var before = Comparable();
        var items = await RunAsync(destination, "t1",
            Record("res.partner", "p1", ("name", "Existing, renamed"), ("email", "ex@acme.test"), ("x_run_count", 5L), ("x_run_note", "from the run")),
            Record("res.partner", "p2", ("name", "New One"), ("email", "new@acme.test"), ("x_run_count", 1L)));
        _time.Advance(TimeSpan.FromMinutes(5));

        // As the rollback activity sends them: a chunk at a time, the company (a parent) last, then the final request.
        var first = await destination.RollbackAsync(new RollbackRequest(items[..2], Force: false, "t1", Final: false), CancellationToken.None);
        var second = await destination.RollbackAsync(new RollbackRequest(items[2..], Force: false, "t1", Final: false), CancellationToken.None);
        var fieldsMeanwhile = await client.ExecuteKwAsync("ir.model.fields", "search_count", [new List<object?> { new List<object?> { "name", "in", new List<object?> { "x_run_count", "x_run_note" } } }], null, CancellationToken.None);
        var final = await destination.RollbackAsync(new RollbackRequest([], Force: false, "t1", Final: true, ["res.partner"], "flit_acme"), CancellationToken.None);

        Assert.Equal(2L, fieldsMeanwhile);
        Assert.Empty(first.Conflicts.Concat(second.Conflicts).Concat(final.Conflicts));
        Assert.Equal((2, 1, 2), (first.Deleted + second.Deleted + final.Deleted, first.Restored + second.Restored, final.DroppedFields));
        Assert.Equal(before, Comparable());
    }

    [Fact]
    public async Task Rollback_ARecordLeftAloneStillHoldsANumberInACustomField_TheFieldStays()
    {
        var (client, destination) = await ConnectAsync(OdooProtocol.XmlRpc);
        await using var scope = destination;
        var items = await RunAsync(destination, "t1", Record("res.partner", "p2", ("name", "New One"), ("email", "new@acme.test"), ("x_run_count", 1L)));
        var contact = items.Single(i => i.ExternalId.EndsWith("p2", StringComparison.Ordinal));
        _time.Advance(TimeSpan.FromSeconds(2));
        await client.ExecuteKwAsync("res.partner", "write", [new object?[] { long.Parse(contact.DestinationId, System.Globalization.CultureInfo.InvariantCulture) }, new Dictionary<string, object?> { ["x_run_count"] = 2L }], null, CancellationToken.None);

        var outcome = await destination.RollbackAsync(new RollbackRequest([contact], Force: false, "t1", Final: true, ["res.partner"], "flit_acme"), CancellationToken.None);

        Assert.Equal(1, outcome.DroppedFields);
        Assert.Contains(outcome.Conflicts, c => c.Contains("x_run_count", StringComparison.Ordinal) && c.Contains("1 record(s) still hold values", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rollback_OfASecondMigration_RestoresTheFirstsRecordsAndKeepsItsFieldsAndXmlids()
    {
        var (_, destination) = await ConnectAsync(OdooProtocol.XmlRpc);
        await using var scope = destination;
        await RunAsync(destination, "first", Record("res.partner", "p1", ("name", "Ada"), ("email", "ada@acme.test"), ("x_run_count", 3L)));
        var afterFirst = Comparable();

        // The second migration of the tenant meets the first's records under the same xmlids: it updates them.
        var items = await RunAsync(destination, "second", Record("res.partner", "p1", ("name", "Ada Lovelace"), ("email", "ada@acme.test"), ("x_run_count", 4L)));
        Assert.All(items, i => Assert.False(i.Created && i.ExternalId == "flit_acme.test_p1"));
        Assert.True(items.Single(i => i.ExternalId == "flit_acme.test_p1").PreImage!.ExternalIdExisted);
        _time.Advance(TimeSpan.FromMinutes(5));
        var outcome = await destination.RollbackAsync(new RollbackRequest([.. items.Where(i => !i.Created)], Force: false, "second"), CancellationToken.None);

        Assert.Equal((0, 1, 0), (outcome.Deleted, outcome.Restored, outcome.DroppedFields));
        Assert.Equal(afterFirst, Comparable());
    }

    [Fact]
    public async Task Upsert_ContactWithAUsersOrTheCompanysEmail_NeverTouchesThem_CreatesItsOwnWithAWarning()
    {
        var (_, destination) = await ConnectAsync(OdooProtocol.XmlRpc);
        await using var scope = destination;
        var partnersBefore = JsonNode.Parse(_sandbox.Dump())!["res.partner"]!.ToJsonString();
        DestinationRecord[] batch =
        [
            Record("res.partner", "ann", ("name", "Ann from the CRM"), ("email", "ann@acme.test"), ("function", "Buyer")),
            Record("res.partner", "co", ("name", "Info desk"), ("email", "info@yourcompany.example")),
        ];

        Assert.Empty(await destination.SnapshotAsync("res.partner", batch, CancellationToken.None));
        var outcomes = await destination.UpsertAsync("res.partner", batch, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal(UpsertStatus.Created, o.Status));
        Assert.Contains("the Odoo user 'Ann Lee'", outcomes[0].Warning!.Message, StringComparison.Ordinal);
        Assert.Contains("the company 'My Company'", outcomes[1].Warning!.Message, StringComparison.Ordinal);
        var partners = JsonNode.Parse(_sandbox.Dump())!["res.partner"]!.AsArray();
        Assert.Equal(partnersBefore, new JsonArray([.. partners.Take(partners.Count - 2).Select(p => p!.DeepClone())]).ToJsonString());
    }

    [Fact]
    public async Task Rollback_RecordChangedInOdooAfterOurWrite_IsAConflictLeftAloneUnlessForced()
    {
        var (client, destination) = await ConnectAsync(OdooProtocol.XmlRpc);
        await using var scope = destination;
        var lead = (await destination.UpsertAsync("crm.lead", [Record("crm.lead", "l1", ("name", "Deal"), ("type", "opportunity"))], CancellationToken.None))[0];
        var item = new RollbackItem("crm.lead", lead.DestinationId!, lead.ExternalId, true, _time.GetUtcNow(), null);
        _time.Advance(TimeSpan.FromSeconds(2));
        await client.ExecuteKwAsync("crm.lead", "write", [new object?[] { long.Parse(lead.DestinationId!, System.Globalization.CultureInfo.InvariantCulture) }, new Dictionary<string, object?> { ["name"] = "Edited by a salesperson" }], null, CancellationToken.None);

        var careful = await destination.RollbackAsync(new RollbackRequest([item], Force: false, "t1"), CancellationToken.None);
        var forced = await destination.RollbackAsync(new RollbackRequest([item], Force: true, "t1"), CancellationToken.None);

        Assert.Contains("changed in Odoo", Assert.Single(careful.Conflicts), StringComparison.Ordinal);
        Assert.Equal(0, careful.Deleted);
        Assert.Equal(1, forced.Deleted);
    }
}
