using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Destinations.Odoo.Rpc;
using Flit.Sandbox.Odoo;

namespace Flit.Destinations.Odoo.Tests;

/// <summary>The Odoo destination against the sandbox over real HTTP.</summary>
public sealed class OdooDestinationTests : IAsyncLifetime
{
    private OdooSandbox _sandbox = null!;
    private OdooDestination _destination = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions
        {
            Users = [new SandboxUser("admin", "admin", "admin@sandbox.example", "Administrator"), new SandboxUser("ann", "pw", "ann@acme.test", "Ann Lee")],
        }, CancellationToken.None);
        var client = new OdooClient(new OdooClientOptions { Url = _sandbox.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin", Protocol = OdooProtocol.XmlRpc });
        await client.ConnectAsync(CancellationToken.None);
        _destination = new OdooDestination(client);
    }

    public async Task DisposeAsync()
    {
        await _destination.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private static DestinationRecord Record(string model, string id, params (string Field, object? Value)[] values) =>
        new($"flit_acme.test_{id}", "obj", id, model, values.ToDictionary(v => v.Field, v => v.Value), [], "h", new SourceLocation("f.csv", 2));

    [Fact]
    public async Task Upsert_Twice_CreatesOnceUnderXmlidsInFewCalls()
    {
        DestinationRecord[] batch = [Record("res.partner", "1", ("name", "Ada")), Record("res.partner", "2", ("name", "Bo")), Record("res.partner", "3", ("name", "Cy"))];

        var first = await _destination.UpsertAsync("res.partner", batch, CancellationToken.None);
        var calls = _sandbox.Calls.Values.Sum();
        var second = await _destination.UpsertAsync("res.partner", batch, CancellationToken.None);

        // What the destination did: created, then wrote the same records (whose they are is the ID map's business).
        Assert.All(first, o => Assert.Equal(UpsertStatus.Created, o.Status));
        Assert.All(second, o => Assert.Equal(UpsertStatus.Updated, o.Status));
        Assert.Equal(first.Select(o => o.DestinationId), second.Select(o => o.DestinationId));
        // One load() per upsert: records and their xmlids in one transaction, never a record without its xmlid.
        Assert.Equal(2, _sandbox.Calls[("res.partner", "load")]);
        Assert.False(_sandbox.Calls.ContainsKey(("res.partner", "create")));
        Assert.True(calls <= 4, $"{calls} calls for a batch of 3");
        var back = await _destination.ReadBackAsync("res.partner", batch.Select(b => b.ExternalId).ToList(), ["name"], CancellationToken.None);
        Assert.Equal(["Ada", "Bo", "Cy"], back.OrderBy(b => b.ExternalId).Select(b => b.Values["name"]));
    }

    [Fact]
    public async Task Upsert_OriginalDatetimes_LandInUtc_ThoughTheAdminsTimeZoneIsNot()
    {
        var lead = await _destination.UpsertAsync("crm.lead", [Record("crm.lead", "l", ("name", "L"), ("type", "lead"))], CancellationToken.None);
        var written = new DateTime(2024, 1, 15, 9, 30, 0, DateTimeKind.Utc);

        await _destination.UpsertAsync("mail.message", [Record("mail.message", "m", ("model", "crm.lead"), ("res_id", lead[0].DestinationId), ("body", "Called"), ("message_type", "comment"), ("date", written))], CancellationToken.None);

        var back = Assert.Single(await _destination.ReadBackAsync("mail.message", ["flit_acme.test_m"], ["date"], CancellationToken.None));
        Assert.Equal("2024-01-15 09:30:00", back.Values["date"]);
    }

    [Fact]
    public async Task Upsert_LeadWithAnotherEmailThanItsContact_LeavesTheContactIntact_KeepsTheSourceValueWithAWarning()
    {
        var contact = await _destination.UpsertAsync("res.partner", [Record("res.partner", "c", ("name", "Ada"), ("email", "ada@acme.test"), ("phone", "+44 1"))], CancellationToken.None);

        var lead = Assert.Single(await _destination.UpsertAsync("crm.lead", [Record("crm.lead", "l", ("name", "Deal"), ("type", "lead"), ("partner_id", contact[0].DestinationId), ("email_from", "ada.private@home.test"), ("phone", "+44 1"))], CancellationToken.None));

        var partner = Assert.Single(await _destination.ReadBackAsync("res.partner", ["flit_acme.test_c"], ["email", "phone"], CancellationToken.None));
        var written = Assert.Single(await _destination.ReadBackAsync("crm.lead", ["flit_acme.test_l"], ["email_from", "description"], CancellationToken.None));
        Assert.Equal(("ada@acme.test", "+44 1"), (partner.Values["email"], partner.Values["phone"]));
        Assert.Equal("ada@acme.test", written.Values["email_from"]);
        Assert.Contains("ada.private@home.test", written.Values["description"] as string, StringComparison.Ordinal);
        Assert.Contains("differs from its contact's", lead.Warning!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_LostOpportunity_IsArchivedWithProbabilityZero_LikeOdoosMarkLost()
    {
        await _destination.UpsertAsync("crm.lead", [Record("crm.lead", "lost", ("name", "Gone"), ("type", "opportunity"), ("active", "false")), Record("crm.lead", "open", ("name", "Open"), ("type", "opportunity"), ("active", "true"))], CancellationToken.None);

        var back = (await _destination.ReadBackAsync("crm.lead", ["flit_acme.test_lost", "flit_acme.test_open"], ["active", "probability"], CancellationToken.None)).ToDictionary(r => r.ExternalId);
        Assert.Equal((false, 0d), (back["flit_acme.test_lost"].Values["active"], Convert.ToDouble(back["flit_acme.test_lost"].Values["probability"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(true, back["flit_acme.test_open"].Values["active"]);
    }

    [Fact]
    public async Task Prepare_CountriesAndStates_ByNameOrUnambiguousCode_NeverCreated()
    {
        var outcome = await _destination.PrepareAsync(new PreparePlan([], [
            new NamedLookup("res.country", "GB"), new NamedLookup("res.country", "Australia"),
            new NamedLookup("res.country.state", "NSW"), new NamedLookup("res.country.state", "Victoria"),
            new NamedLookup("res.country.state", "WA"), new NamedLookup("res.country.state", "Lancashire"),
        ], [], null, "flit_acme", "t1"), CancellationToken.None);

        Assert.Contains(PrepareOutcome.Key(new NamedLookup("res.country", "GB")), outcome.NamedRecordIds.Keys);
        Assert.Contains(PrepareOutcome.Key(new NamedLookup("res.country", "Australia")), outcome.NamedRecordIds.Keys);
        Assert.Contains(PrepareOutcome.Key(new NamedLookup("res.country.state", "NSW")), outcome.NamedRecordIds.Keys);
        Assert.Contains(PrepareOutcome.Key(new NamedLookup("res.country.state", "Victoria")), outcome.NamedRecordIds.Keys);
        Assert.DoesNotContain(PrepareOutcome.Key(new NamedLookup("res.country.state", "WA")), outcome.NamedRecordIds.Keys); // Washington or Western Australia
        Assert.DoesNotContain(PrepareOutcome.Key(new NamedLookup("res.country.state", "Lancashire")), outcome.NamedRecordIds.Keys);
        Assert.False(_sandbox.Calls.ContainsKey(("res.country.state", "load")));
    }

    [Fact]
    public async Task Upsert_SameXmlidTwiceInABatch_OneRecordTheLaterValuesWin_AndLinksToArchivedRecordsHold()
    {
        var owner = await _destination.UpsertAsync("res.partner", [Record("res.partner", "archived", ("name", "Old Co"), ("is_company", true), ("active", false))], CancellationToken.None);

        var outcomes = await _destination.UpsertAsync("res.partner", [
            Record("res.partner", "dup", ("name", "First"), ("parent_id", owner[0].DestinationId)),
            Record("res.partner", "dup", ("name", "Second"), ("parent_id", owner[0].DestinationId)),
        ], CancellationToken.None);

        Assert.Equal([UpsertStatus.Created, UpsertStatus.Updated], outcomes.Select(o => o.Status));
        Assert.Single(outcomes.Select(o => o.DestinationId).Distinct());
        var back = Assert.Single(await _destination.ReadBackAsync("res.partner", ["flit_acme.test_dup"], ["name"], CancellationToken.None));
        Assert.Equal("Second", back.Values["name"]);
    }

    [Fact]
    public async Task Upsert_OneRecordOdooRefuses_IsIsolatedWithOdoosMessageOthersLoad()
    {
        DestinationRecord[] batch =
        [
            Record("crm.lead", "a", ("name", "A"), ("type", "lead")),
            Record("crm.lead", "b", ("type", "lead")),
            Record("crm.lead", "c", ("name", "C"), ("type", "opportunity"), ("priority", "3")),
            Record("crm.lead", "d", ("name", "D"), ("type", "lead")),
        ];

        var outcomes = await _destination.UpsertAsync("crm.lead", batch, CancellationToken.None);

        var failed = Assert.Single(outcomes, o => o.Status == UpsertStatus.Failed);
        Assert.Equal("flit_acme.test_b", failed.ExternalId);
        Assert.StartsWith("The operation cannot be completed", failed.Error, StringComparison.Ordinal);
        Assert.Equal(3, outcomes.Count(o => o.Status == UpsertStatus.Created));
    }

    [Fact]
    public async Task Upsert_WithImportContext_ProducesNoChatter()
    {
        await _destination.UpsertAsync("crm.lead", [Record("crm.lead", "q", ("name", "Quiet"), ("type", "lead"))], CancellationToken.None);

        Assert.DoesNotContain("\"mail.message\":[{", _sandbox.Dump().Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_CustomFieldsInOneCall_StagesFoundOrCreated_OwnersWithFallback()
    {
        var outcome = await _destination.PrepareAsync(new PreparePlan(
            [new CustomFieldPlan("res.partner", "x_shift", "char", "Shift"), new CustomFieldPlan("crm.lead", "x_case_number", "char", "Case number")],
            [new NamedLookup("crm.stage", "won"), new NamedLookup("crm.stage", "Escalated"), new NamedLookup("res.country", "Atlantis")],
            ["ann@acme.test", "ghost@acme.test"],
            "admin@sandbox.example", "flit_acme", "t1"), CancellationToken.None);

        Assert.Equal(1, _sandbox.Calls[("ir.model.fields", "load")]);
        Assert.Equal(["res.partner.x_shift", "crm.lead.x_case_number"], outcome.CreatedCustomFields);
        Assert.True(outcome.NamedRecordIds.ContainsKey(PrepareOutcome.Key(new NamedLookup("crm.stage", "Won"))));
        Assert.True(outcome.NamedRecordIds.ContainsKey(PrepareOutcome.Key(new NamedLookup("crm.stage", "Escalated"))));
        Assert.False(outcome.NamedRecordIds.ContainsKey(PrepareOutcome.Key(new NamedLookup("res.country", "Atlantis"))));
        Assert.Equal(["ghost@acme.test"], outcome.UnmatchedOwners);
        Assert.Equal(outcome.UserIdsByEmail[PrepareOutcome.UserKey("admin@sandbox.example")], outcome.UserIdsByEmail[PrepareOutcome.UserKey("ghost@acme.test")]);
        var schema = await _destination.DescribeAsync(["res.partner"], CancellationToken.None);
        Assert.True(schema.HasField("res.partner", "x_shift"));
    }
}
