using System.Globalization;
using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Sandbox.Odoo;
using Flit.Testing;

namespace Flit.Destinations.Odoo.Tests;

/// <summary>
/// Round trips against the sandbox over HTTP: created rows that differ only in empty columns Odoo does not care about
/// share one load() call and land exactly as one call each would land them — fields with defaults and computed fields
/// included — while updates never blank what the source leaves empty; what a snapshot looked up is not asked again.
/// </summary>
public sealed class OdooLoadCallsTests : IAsyncLifetime
{
    private OdooSandbox _batched = null!;
    private OdooSandbox _oneByOne = null!;
    private OdooDestination _destination = null!;
    private OdooDestination _reference = null!;

    public async Task InitializeAsync()
    {
        _batched = await OdooSandbox.StartAsync(new OdooSandboxOptions(), CancellationToken.None);
        _oneByOne = await OdooSandbox.StartAsync(new OdooSandboxOptions(), CancellationToken.None);
        _destination = new OdooDestination(await SandboxConnection.ConnectAsync(_batched));
        _reference = new OdooDestination(await SandboxConnection.ConnectAsync(_oneByOne));
    }

    public async Task DisposeAsync()
    {
        await _destination.DisposeAsync();
        await _reference.DisposeAsync();
        await _batched.DisposeAsync();
        await _oneByOne.DisposeAsync();
    }

    private static DestinationRecord Record(string model, string id, params (string Field, object? Value)[] values) =>
        new($"flit_acme.test_{id}", "obj", id, model, values.ToDictionary(v => v.Field, v => v.Value), [], "h", new SourceLocation("f.csv", 2));

    /// <summary>Upserts the batch in one call to the batched sandbox and record by record to the reference one.</summary>
    private async Task UpsertBothWaysAsync(string model, DestinationRecord[] batch)
    {
        Assert.DoesNotContain(await _destination.UpsertAsync(model, batch, CancellationToken.None), o => o.Status == UpsertStatus.Failed);
        foreach (var record in batch)
        {
            Assert.DoesNotContain(await _reference.UpsertAsync(model, [record], CancellationToken.None), o => o.Status == UpsertStatus.Failed);
        }
    }

    /// <summary>Every stored field of the records, by xmlid, as each sandbox holds them (ids left out: they differ in order).</summary>
    private static async Task<Dictionary<string, Dictionary<string, object?>>> HeldAsync(OdooDestination destination, string model, IEnumerable<DestinationRecord> records)
    {
        var fields = (await destination.DescribeAsync([model], CancellationToken.None)).Models[model].Keys
            .Where(f => f is not ("id" or "display_name" or "create_date" or "write_date" or "create_uid" or "write_uid")).ToList();
        return (await destination.ReadBackAsync(model, [.. records.Select(r => r.ExternalId).Distinct()], fields, CancellationToken.None))
            .ToDictionary(r => r.ExternalId, r => r.Values.ToDictionary(v => v.Key, v => Comparable(v.Value)));
    }

    /// <summary>A value without the record ids a many2one pair carries.</summary>
    private static object? Comparable(object? value) => value is List<object?> { Count: 2 } pair && pair[1] is string name ? name : value;

    private static void AssertSameRecords(Dictionary<string, Dictionary<string, object?>> expected, Dictionary<string, Dictionary<string, object?>> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (externalId, values) in expected)
        {
            foreach (var (field, value) in values)
            {
                Assert.True(Equals(value, actual[externalId][field]) || (value is List<object?> a && actual[externalId][field] is List<object?> b && a.SequenceEqual(b)),
                    $"{externalId}.{field}: {value} one by one, {actual[externalId][field]} in one call");
            }
        }
    }

    [Fact]
    public async Task Upsert_CreatedPartnersWithDifferentEmptyColumns_ShareALoadUnlessADefaultMatters_AndLandAsOneByOne()
    {
        DestinationRecord[] batch =
        [
            Record("res.partner", "a", ("name", "Ada"), ("email", "ada@acme.test"), ("phone", null), ("city", null)),
            Record("res.partner", "b", ("name", "Bo"), ("email", null), ("phone", "+44 1")),
            Record("res.partner", "c", ("name", "Cy"), ("street", "1 Main St"), ("city", "Leeds")),
            Record("res.partner", "d", ("name", "Di"), ("is_company", true)),
            Record("res.partner", "e", ("name", "Ed"), ("type", "other"), ("city", "York")),
            Record("res.partner", "f", ("name", "Fi"), ("active", false)),
            Record("res.partner", "g", ("name", "Gus"), ("type", null), ("active", null)),
        ];

        await UpsertBothWaysAsync("res.partner", batch);

        // type and active have defaults (contact, true): a row that leaves them out must leave them out, so the rows that
        // give one go apart; is_company's default is False, the same as an empty cell.
        Assert.Equal(3, _batched.Calls[("res.partner", "load")]);
        AssertSameRecords(await HeldAsync(_reference, "res.partner", batch), await HeldAsync(_destination, "res.partner", batch));
        var held = await HeldAsync(_destination, "res.partner", batch);
        Assert.Equal(("contact", "other", true, false), (held["flit_acme.test_g"]["type"], held["flit_acme.test_e"]["type"], held["flit_acme.test_a"]["active"], held["flit_acme.test_f"]["active"]));
    }

    [Fact]
    public async Task Upsert_CreatedLeadsWithDifferentEmptyColumns_LeaveComputedFieldsAndDefaultsToOdoo_AndLandAsOneByOne()
    {
        DestinationRecord[] contact = [Record("res.partner", "p", ("name", "Pat"), ("email", "pat@acme.test"), ("phone", "+44 2"))];
        await UpsertBothWaysAsync("res.partner", contact);
        var partner = (await _destination.ReadBackAsync("res.partner", [contact[0].ExternalId], [], CancellationToken.None))[0].DestinationId;
        DestinationRecord[] leads =
        [
            Record("crm.lead", "l1", ("name", "One"), ("type", "lead"), ("partner_id", partner), ("email_from", null), ("description", null)),
            Record("crm.lead", "l2", ("name", "Two"), ("type", "lead"), ("email_from", "two@elsewhere.test"), ("partner_id", null)),
            Record("crm.lead", "l3", ("name", "Three"), ("type", "opportunity"), ("partner_id", partner), ("description", "<p>Notes</p>")),
            Record("crm.lead", "l4", ("name", "Four"), ("type", "lead"), ("priority", "2")),
            Record("crm.lead", "l5", ("name", "Five"), ("type", "lead"), ("expected_revenue", 5000d), ("partner_id", null)),
            Record("crm.lead", "l6", ("name", "Six"), ("type", "lead"), ("partner_id", partner), ("email_from", "pat@acme.test"), ("date_deadline", null)),
        ];

        await UpsertBothWaysAsync("crm.lead", leads);

        // email_from is computed from the partner (an empty cell would also write the emptiness through to it), priority
        // has a default, and numbers are stored 0 when sent empty: rows go apart on those alone — l1 with l3, l2 with l6.
        Assert.Equal(4, _batched.Calls[("crm.lead", "load")]);
        AssertSameRecords(await HeldAsync(_reference, "crm.lead", leads), await HeldAsync(_destination, "crm.lead", leads));
        AssertSameRecords(await HeldAsync(_reference, "res.partner", contact), await HeldAsync(_destination, "res.partner", contact));
        var held = await HeldAsync(_destination, "crm.lead", leads);
        Assert.Equal(("pat@acme.test", "0", "2"), (held["flit_acme.test_l1"]["email_from"], held["flit_acme.test_l1"]["priority"], held["flit_acme.test_l4"]["priority"]));
    }

    [Fact]
    public async Task Upsert_CreatedMessagesWithAndWithoutTheirType_TakeOdoosDefaultWhereTheyLeaveItOut()
    {
        DestinationRecord[] contact = [Record("res.partner", "p", ("name", "Pat"))];
        await UpsertBothWaysAsync("res.partner", contact);
        var partner = (await _destination.ReadBackAsync("res.partner", [contact[0].ExternalId], [], CancellationToken.None))[0].DestinationId;
        DestinationRecord[] messages =
        [
            Record("mail.message", "m1", ("model", "res.partner"), ("res_id", partner), ("body", "Called"), ("message_type", null), ("subject", "Call")),
            Record("mail.message", "m2", ("model", "res.partner"), ("res_id", partner), ("body", "Wrote"), ("message_type", "email"), ("subject", null)),
            Record("mail.message", "m3", ("model", "res.partner"), ("res_id", partner), ("body", "Met"), ("subject", null)),
        ];

        await UpsertBothWaysAsync("mail.message", messages);

        Assert.Equal(2, _batched.Calls[("mail.message", "load")]);
        var held = await HeldAsync(_destination, "mail.message", messages);
        AssertSameRecords(await HeldAsync(_reference, "mail.message", messages), held);
        Assert.Equal(("comment", "email", "comment"), (held["flit_acme.test_m1"]["message_type"], held["flit_acme.test_m2"]["message_type"], held["flit_acme.test_m3"]["message_type"]));
    }

    [Fact]
    public async Task Upsert_RecordThatExists_KeepsWhatTheSourceLeavesEmpty_BesideCreatedRowsThatSendEmptyCells()
    {
        await _destination.UpsertAsync("res.partner", [Record("res.partner", "x", ("name", "Xena"), ("phone", "+44 3"), ("city", "Leeds"))], CancellationToken.None);
        _batched.ResetCalls();

        var outcomes = await _destination.UpsertAsync("res.partner", [
            Record("res.partner", "x", ("name", "Xena"), ("phone", null), ("city", null), ("email", "xena@acme.test")),
            Record("res.partner", "y", ("name", "Yan"), ("phone", null), ("city", "York"), ("email", "yan@acme.test")),
            Record("res.partner", "z", ("name", "Zed"), ("phone", "+44 4"), ("city", null), ("email", null)),
        ], CancellationToken.None);

        Assert.Equal([UpsertStatus.Updated, UpsertStatus.Created, UpsertStatus.Created], outcomes.OrderBy(o => o.ExternalId, StringComparer.Ordinal).Select(o => o.Status));
        Assert.Equal(2, _batched.Calls[("res.partner", "load")]);
        var x = Assert.Single(await _destination.ReadBackAsync("res.partner", ["flit_acme.test_x"], ["phone", "city", "email"], CancellationToken.None)).Values;
        Assert.Equal(("+44 3", "Leeds", "xena@acme.test"), (x["phone"], x["city"], x["email"]));
    }

    [Fact]
    public async Task Upsert_ABadRowAmongRowsSharingALoad_IsIsolatedWithOdoosMessage_TheOthersLoadInOneMoreCall()
    {
        DestinationRecord[] batch =
        [
            Record("res.partner", "a", ("name", "Ada"), ("email", "ada@acme.test")),
            Record("res.partner", "b", ("name", null), ("email", "nameless@acme.test")),
            Record("res.partner", "c", ("name", "Cy"), ("phone", "+44 5")),
            Record("res.partner", "d", ("name", "Di"), ("city", "Leeds")),
        ];

        var outcomes = (await _destination.UpsertAsync("res.partner", batch, CancellationToken.None)).ToDictionary(o => o.ExternalId);

        Assert.Equal(["flit_acme.test_a", "flit_acme.test_c", "flit_acme.test_d"], outcomes.Values.Where(o => o.Status == UpsertStatus.Created).Select(o => o.ExternalId).Order(StringComparer.Ordinal));
        Assert.EndsWith("Contacts require a name", outcomes["flit_acme.test_b"].Error, StringComparison.Ordinal);
        Assert.Equal(2, _batched.Calls[("res.partner", "load")]);
    }

    [Fact]
    public async Task SnapshotThenUpsert_OfTheSameRecords_LooksTheirXmlidsAndEmailsUpOnce()
    {
        using var client = await SandboxConnection.ConnectAsync(_batched);
        var known = (long)(await client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?> { ["name"] = "Known customer", ["email"] = "known@acme.test" }], null, CancellationToken.None))!;
        DestinationRecord[] batch = [.. Enumerable.Range(0, 5).Select(i => Record("res.partner", $"s{i}", ("name", $"P{i}"), ("email", i == 0 ? "known@acme.test" : $"p{i}@acme.test")))];
        _batched.ResetCalls();

        var images = await _destination.SnapshotAsync("res.partner", batch, CancellationToken.None);
        var outcomes = await _destination.UpsertAsync("res.partner", batch, CancellationToken.None);

        Assert.True(Assert.Single(images).Key == "flit_acme.test_s0");
        Assert.Equal([UpsertStatus.Updated, .. Enumerable.Repeat(UpsertStatus.Created, 4)], outcomes.OrderBy(o => o.ExternalId, StringComparer.Ordinal).Select(o => o.Status));
        // The snapshot's lookups: the xmlids, the e-mails, and which of the matched partners are a migration's own.
        Assert.Equal(1, _batched.Calls[("res.partner", "search_read")]);
        Assert.Equal(2, _batched.Calls[("ir.model.data", "search_read")]);
        Assert.Equal(1, _batched.Calls[("res.partner", "load")]);
        var matched = Assert.Single(await _destination.ReadBackAsync("res.partner", ["flit_acme.test_s0"], ["name"], CancellationToken.None));
        Assert.Equal((known.ToString(CultureInfo.InvariantCulture), "P0"), (matched.DestinationId, matched.Values["name"]));
    }
}
