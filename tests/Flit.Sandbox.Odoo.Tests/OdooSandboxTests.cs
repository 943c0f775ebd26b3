using Flit.Destinations.Odoo.Rpc;
using Flit.Testing;

namespace Flit.Sandbox.Odoo.Tests;

public sealed class OdooSandboxTests
{
    private static readonly Dictionary<string, object?> NoKwargs = [];

    private static async Task<(OdooSandbox Sandbox, OdooClient Client)> StartAsync(OdooSandboxOptions? options = null, OdooProtocol protocol = OdooProtocol.XmlRpc)
    {
        var sandbox = await OdooSandbox.StartAsync(options ?? new OdooSandboxOptions(), CancellationToken.None);
        var client = await SandboxConnection.ConnectAsync(sandbox, protocol);
        return (sandbox, client);
    }

    private static Dictionary<string, object?> Vals(params (string Key, object? Value)[] values) => values.ToDictionary(v => v.Key, v => v.Value);

    private static Task<object?> CreateAsync(OdooClient client, string model, Dictionary<string, object?> vals, Dictionary<string, object?>? context = null) =>
        client.ExecuteKwAsync(model, "create", [vals], context is null ? null : new Dictionary<string, object?> { ["context"] = context }, CancellationToken.None);

    [Fact]
    public async Task Create_ClientTimestampsAndIds_AreDroppedAndSetByTheServer()
    {
        var (sandbox, client) = await StartAsync();
        await using var _ = sandbox;
        using var __ = client;

        var id = (long)(await CreateAsync(client, "res.partner", Vals(("name", "Ada"), ("create_date", "1999-01-01 00:00:00"), ("id", 999L))))!;
        var row = Assert.Single(Assert.IsType<List<object?>>(await client.ExecuteKwAsync("res.partner", "read", [new object?[] { id }, new object?[] { "name", "create_date" }], null, CancellationToken.None))) as IReadOnlyDictionary<string, object?>;

        Assert.NotEqual(999L, id);
        Assert.Equal("Ada", row!["name"]);
        Assert.NotEqual("1999-01-01 00:00:00", row["create_date"]);
    }

    [Fact]
    public async Task Write_ACompanysAddress_IsCopiedIntoItsContactTypeChildrenAndTheirs_NotIntoOtherTypes()
    {
        var (sandbox, client) = await StartAsync();
        await using var _ = sandbox;
        using var __ = client;
        async Task<IReadOnlyDictionary<string, object?>> ReadAsync(long id) =>
            (IReadOnlyDictionary<string, object?>)((List<object?>)(await client.ExecuteKwAsync("res.partner", "read", [new object?[] { id }, new object?[] { "street", "city" }], null, CancellationToken.None))!)[0]!;

        var company = (long)(await CreateAsync(client, "res.partner", Vals(("name", "Acme"), ("is_company", true), ("street", "1 Old Road"), ("city", "Leeds"))))!;
        var contact = (long)(await CreateAsync(client, "res.partner", Vals(("name", "Ann"), ("parent_id", company), ("type", "contact"))))!;
        var grandchild = (long)(await CreateAsync(client, "res.partner", Vals(("name", "Ann's assistant"), ("parent_id", contact), ("type", "contact"))))!;
        var other = (long)(await CreateAsync(client, "res.partner", Vals(("name", "Bob"), ("parent_id", company), ("type", "other"), ("street", "9 Own Street"), ("city", "York"))))!;

        await client.ExecuteKwAsync("res.partner", "write", [new object?[] { company }, Vals(("street", "2 New Road"))], null, CancellationToken.None);

        Assert.Equal(("2 New Road", "Leeds"), ((string?)(await ReadAsync(contact))["street"], (string?)(await ReadAsync(contact))["city"]));
        Assert.Equal("2 New Road", (await ReadAsync(grandchild))["street"]);
        Assert.Equal(("9 Own Street", "York"), ((string?)(await ReadAsync(other))["street"], (string?)(await ReadAsync(other))["city"]));

        // A person moved under the company as a contact takes its address, as on create.
        var moved = (long)(await CreateAsync(client, "res.partner", Vals(("name", "Cy"), ("type", "other"), ("street", "5 Far Lane"))))!;
        await client.ExecuteKwAsync("res.partner", "write", [new object?[] { moved }, Vals(("parent_id", company), ("type", "contact"))], null, CancellationToken.None);
        Assert.Equal("2 New Road", (await ReadAsync(moved))["street"]);
    }

    [Fact]
    public async Task Create_MissingRequiredOrBrokenLinkOrUnknownField_FailsLikeOdoo()
    {
        var (sandbox, client) = await StartAsync();
        await using var _ = sandbox;
        using var __ = client;

        var required = await Assert.ThrowsAsync<OdooUserException>(() => CreateAsync(client, "crm.lead", Vals(("type", "lead"))));
        var link = await Assert.ThrowsAsync<OdooUserException>(() => CreateAsync(client, "crm.lead", Vals(("name", "L"), ("type", "lead"), ("partner_id", 4242L))));
        var unknown = await Assert.ThrowsAsync<OdooServerException>(() => CreateAsync(client, "res.partner", Vals(("name", "A"), ("x_shift", "night"))));
        var selection = await Assert.ThrowsAsync<OdooServerException>(() => CreateAsync(client, "crm.lead", Vals(("name", "L"), ("type", "deal"))));
        var datetime = await Assert.ThrowsAsync<OdooServerException>(() => CreateAsync(client, "calendar.event", Vals(("name", "E"), ("start", "2024-01-01T10:00:00Z"), ("stop", "2024-01-01 11:00:00"))));
        var nameless = await Assert.ThrowsAsync<OdooUserException>(() => CreateAsync(client, "res.partner", Vals(("email", "x@y.io"))));

        Assert.StartsWith("The operation cannot be completed", required.Message, StringComparison.Ordinal);
        Assert.Contains("another model requires the record being deleted", link.Message, StringComparison.Ordinal);
        Assert.Equal("ValueError: Invalid field 'x_shift' on model 'res.partner'", unknown.Message);
        Assert.Contains("Wrong value for crm.lead.type", selection.Message, StringComparison.Ordinal);
        Assert.Contains("does not match format '%Y-%m-%d %H:%M:%S'", datetime.Message, StringComparison.Ordinal);
        Assert.Contains("Contacts require a name", nameless.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_Many2oneAsAFloat_IsSilentlyLost_AsOdoosConvertToCacheDoes()
    {
        var (sandbox, client) = await StartAsync();
        await using var _ = sandbox;
        using var __ = client;
        var parent = (long)(await CreateAsync(client, "res.partner", Vals(("name", "Globex"), ("is_company", true))))!;
        var child = (long)(await CreateAsync(client, "res.partner", Vals(("name", "Ada"), ("parent_id", parent))))!;

        await client.ExecuteKwAsync("res.partner", "write", [new object?[] { child }, Vals(("parent_id", (double)parent))], null, CancellationToken.None);

        var row = (IReadOnlyDictionary<string, object?>)Assert.Single(Assert.IsType<List<object?>>(await client.ExecuteKwAsync("res.partner", "read", [new object?[] { child }, new object?[] { "parent_id" }], null, CancellationToken.None)))!;
        Assert.Equal(false, row["parent_id"]);
    }

    [Fact]
    public async Task Search_PartnersOfUsers_AreFoundThroughUserIds_AndTheCompanyHasItsOwnPartner()
    {
        var (sandbox, client) = await StartAsync();
        await using var _ = sandbox;
        using var __ = client;
        await CreateAsync(client, "res.partner", Vals(("name", "Plain contact"), ("email", "admin@sandbox.example")));

        var withUser = Assert.IsType<List<object?>>(await client.ExecuteKwAsync("res.partner", "search_read", [new object?[] { new object?[] { "email", "=", "admin@sandbox.example" }, new object?[] { "user_ids", "!=", false } }, new object?[] { "name" }], null, CancellationToken.None));
        var withoutUser = Assert.IsType<List<object?>>(await client.ExecuteKwAsync("res.partner", "search_read", [new object?[] { new object?[] { "email", "=", "admin@sandbox.example" }, new object?[] { "user_ids", "=", false } }, new object?[] { "name" }], null, CancellationToken.None));
        var company = (IReadOnlyDictionary<string, object?>)Assert.Single(Assert.IsType<List<object?>>(await client.ExecuteKwAsync("res.company", "search_read", [Array.Empty<object?>(), new object?[] { "partner_id" }], null, CancellationToken.None)))!;

        Assert.Equal("Administrator", ((IReadOnlyDictionary<string, object?>)Assert.Single(withUser)!)["name"]);
        Assert.Equal("Plain contact", ((IReadOnlyDictionary<string, object?>)Assert.Single(withoutUser)!)["name"]);
        Assert.Equal("My Company", ((IList<object?>)company["partner_id"]!)[1]);
    }

    [Fact]
    public async Task CustomField_ExistsOnlyAfterCreationThroughIrModelFields()
    {
        var (sandbox, client) = await StartAsync();
        await using var _ = sandbox;
        using var __ = client;
        var modelIds = Assert.IsType<List<object?>>(await client.ExecuteKwAsync("ir.model", "search", [new object?[] { new object?[] { "model", "=", "res.partner" } }], null, CancellationToken.None));

        await Assert.ThrowsAsync<OdooUserException>(() => CreateAsync(client, "ir.model.fields", Vals(("name", "shift"), ("model_id", modelIds[0]), ("field_description", "Shift"), ("ttype", "char"))));
        await CreateAsync(client, "ir.model.fields", Vals(("name", "x_shift"), ("model_id", modelIds[0]), ("field_description", "Shift"), ("ttype", "char")));
        var id = await CreateAsync(client, "res.partner", Vals(("name", "A"), ("x_shift", "night")));
        var fields = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await client.ExecuteKwAsync("res.partner", "fields_get", [], new Dictionary<string, object?> { ["attributes"] = new object?[] { "type" } }, CancellationToken.None));

        Assert.NotNull(id);
        Assert.True(fields.ContainsKey("x_shift"));
    }

    [Fact]
    public async Task Create_ListWithOneBadRecord_CreatesNothing()
    {
        var (sandbox, client) = await StartAsync();
        await using var _ = sandbox;
        using var __ = client;
        var before = sandbox.Dump();

        await Assert.ThrowsAsync<OdooUserException>(() => client.ExecuteKwAsync("res.partner", "create", [new object?[] { Vals(("name", "Good")), Vals(("email", "no-name@x.io")) }], null, CancellationToken.None));

        Assert.Equal(before, sandbox.Dump());
    }

    [Fact]
    public async Task XmlId_SameModuleAndName_IsRefused()
    {
        var (sandbox, client) = await StartAsync();
        await using var _ = sandbox;
        using var __ = client;
        var xmlid = Vals(("module", "flit_acme"), ("name", "arkcase_person_101"), ("model", "res.partner"), ("res_id", 3L));

        await CreateAsync(client, "ir.model.data", xmlid);
        var error = await Assert.ThrowsAsync<OdooUserException>(() => CreateAsync(client, "ir.model.data", xmlid));

        Assert.Contains("ir_model_data_module_name_uniq_index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chatter_WithoutImportContextFlags_CreatesMessages_WithThemNone()
    {
        var (sandbox, client) = await StartAsync();
        await using var _ = sandbox;
        using var __ = client;

        await CreateAsync(client, "crm.lead", Vals(("name", "Noisy"), ("type", "lead")));
        var noisy = sandbox.Calls.Count;
        var messagesAfterNoisy = (long)(await client.ExecuteKwAsync("mail.message", "search_count", [Array.Empty<object?>()], null, CancellationToken.None))!;
        await CreateAsync(client, "crm.lead", Vals(("name", "Quiet"), ("type", "lead")), new Dictionary<string, object?> { ["tracking_disable"] = true, ["mail_create_nolog"] = true });
        var messagesAfterQuiet = (long)(await client.ExecuteKwAsync("mail.message", "search_count", [Array.Empty<object?>()], null, CancellationToken.None))!;

        Assert.Equal(1, messagesAfterNoisy);
        Assert.Equal(messagesAfterNoisy, messagesAfterQuiet);
        Assert.True(noisy > 0);
    }

    [Fact]
    public async Task FaultInjection_EverySecondCall_ClientRetriesAndCountersSeeEveryAttempt()
    {
        var (sandbox, client) = await StartAsync(new OdooSandboxOptions { FailEveryNthCall = 2 });
        await using var _ = sandbox;
        using var __ = client;

        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(client, "res.partner", Vals(("name", $"P{i}")));
        }

        Assert.Equal(3, sandbox.Calls[("res.partner", "create")]);
        var names = Assert.IsType<List<object?>>(await client.ExecuteKwAsync("res.partner", "search_read", [new object?[] { new object?[] { "name", "=like", "P%" } }, new object?[] { "name" }], null, CancellationToken.None));
        Assert.NotNull(names);
    }

    [Fact]
    public async Task Version18Point2_HasNoPartnerMobile_AndJson2OnlyFrom19()
    {
        var (old, oldClient) = await StartAsync(new OdooSandboxOptions { Version = "saas~18.2" });
        await using var _ = old;
        using var __ = oldClient;
        var fields = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await oldClient.ExecuteKwAsync("res.partner", "fields_get", [], new Dictionary<string, object?> { ["attributes"] = new object?[] { "type" } }, CancellationToken.None));
        Assert.False(fields.ContainsKey("mobile"));
        using var http = new HttpClient { BaseAddress = old.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.PostAsync(new Uri("/json/2/res.partner/search", UriKind.Relative), new StringContent("{}"))).StatusCode);

        var (v19, json2) = await StartAsync(new OdooSandboxOptions { Version = "19.0" }, OdooProtocol.Json2);
        await using var ___ = v19;
        using var ____ = json2;
        var ids = await json2.ExecuteKwAsync("res.partner", "create", [new object?[] { Vals(("name", "Over JSON-2")) }], null, CancellationToken.None);
        Assert.Single(Assert.IsType<List<object?>>(ids));
    }

    [Fact]
    public async Task Execute_WrongPassword_IsAccessDeniedCode3()
    {
        var sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions(), CancellationToken.None);
        await using var _ = sandbox;
        using var client = new OdooClient(new OdooClientOptions { Url = sandbox.BaseAddress, Database = "sandbox", Login = "admin", Password = "wrong", Protocol = OdooProtocol.XmlRpc });

        await Assert.ThrowsAsync<OdooAccessDeniedException>(() => client.ConnectAsync(CancellationToken.None));
    }
}

public sealed class OdooSandboxLoadTests
{
    [Fact]
    public async Task Load_OneBadRow_WritesNothingAndReportsIt_ThenGoodRowsUpsertByXmlid()
    {
        await using var sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions(), CancellationToken.None);
        using var client = new OdooClient(new OdooClientOptions { Url = sandbox.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin", Protocol = OdooProtocol.XmlRpc });
        await client.ConnectAsync(CancellationToken.None);
        var before = sandbox.Dump();
        object?[] fields = ["id", "name", "is_company", "parent_id/id"];

        var refused = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync("res.partner", "load", [fields, new object?[]
        {
            new object?[] { "flit.acme", "Acme", "1", "" },
            new object?[] { "flit.ada", "Ada", "0", "flit.missing" },
        }], null, CancellationToken.None))!;

        Assert.Equal(false, refused["ids"]);
        Assert.Contains("flit.missing", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(Assert.Single((List<object?>)refused["messages"]!))["message"] as string, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Dump());

        object?[] rows = [new object?[] { "flit.acme", "Acme", "1", "" }, new object?[] { "flit.ada", "Ada", "0", "flit.acme" }];
        var first = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync("res.partner", "load", [fields, rows], null, CancellationToken.None))!;
        var again = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync("res.partner", "load", [fields, rows], null, CancellationToken.None))!;

        Assert.Equal(2, Assert.IsType<List<object?>>(first["ids"]).Count);
        Assert.Equal(first["ids"], again["ids"]);
    }

    [Fact]
    public async Task Load_ReadsDatetimesInTheUsersTimeZone_UnlessTheContextSaysUtc_AndChecksDatabaseIds()
    {
        await using var sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions(), CancellationToken.None);
        using var client = new OdooClient(new OdooClientOptions { Url = sandbox.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin", Protocol = OdooProtocol.XmlRpc });
        await client.ConnectAsync(CancellationToken.None);
        object?[] fields = ["id", "name", "start", "stop", "user_id/.id"];
        var utc = new Dictionary<string, object?> { ["context"] = new Dictionary<string, object?> { ["tz"] = "UTC" } };

        await client.ExecuteKwAsync("calendar.event", "load", [fields, new object?[] { new object?[] { "flit.a", "A", "2024-07-01 12:00:00", "2024-07-01 13:00:00", "" } }], null, CancellationToken.None);
        await client.ExecuteKwAsync("calendar.event", "load", [fields, new object?[] { new object?[] { "flit.b", "B", "2024-07-01 12:00:00", "2024-07-01 13:00:00", "" } }], utc, CancellationToken.None);
        var missingUser = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync("calendar.event", "load", [fields, new object?[] { new object?[] { "flit.c", "C", "2024-07-01 12:00:00", "2024-07-01 13:00:00", "999" } }], utc, CancellationToken.None))!;

        var dump = sandbox.Dump();
        Assert.Contains("\"start\":\"2024-07-01 10:00:00\"", dump, StringComparison.Ordinal); // Europe/Brussels in summer is UTC+2
        Assert.Contains("\"start\":\"2024-07-01 12:00:00\"", dump, StringComparison.Ordinal);
        Assert.Equal(false, missingUser["ids"]);
        Assert.Contains("No matching record found for database id '999' in field 'user_id'", dump + ((IReadOnlyDictionary<string, object?>)((List<object?>)missingUser["messages"]!)[0]!)["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lead_WithADifferentEmailThanItsPartner_OverwritesThePartner_WithoutOneTakesThePartners()
    {
        await using var sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions(), CancellationToken.None);
        using var client = new OdooClient(new OdooClientOptions { Url = sandbox.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin", Protocol = OdooProtocol.XmlRpc });
        await client.ConnectAsync(CancellationToken.None);
        var partner = (long)(await client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?> { ["name"] = "Ada", ["email"] = "ada@acme.test" }], null, CancellationToken.None))!;

        var quiet = (long)(await client.ExecuteKwAsync("crm.lead", "create", [new Dictionary<string, object?> { ["name"] = "L1", ["type"] = "lead", ["partner_id"] = partner }], null, CancellationToken.None))!;
        await client.ExecuteKwAsync("crm.lead", "create", [new Dictionary<string, object?> { ["name"] = "L2", ["type"] = "lead", ["partner_id"] = partner, ["email_from"] = "other@elsewhere.test" }], null, CancellationToken.None);

        var lead = (IReadOnlyDictionary<string, object?>)((List<object?>)(await client.ExecuteKwAsync("crm.lead", "read", [new List<object?> { quiet }, new List<object?> { "email_from" }], null, CancellationToken.None))!)[0]!;
        var after = (IReadOnlyDictionary<string, object?>)((List<object?>)(await client.ExecuteKwAsync("res.partner", "read", [new List<object?> { partner }, new List<object?> { "email" }], null, CancellationToken.None))!)[0]!;
        Assert.Equal("ada@acme.test", lead["email_from"]);
        Assert.Equal("other@elsewhere.test", after["email"]);
    }

    [Fact]
    public async Task Search_PrefixOperators_AndOrNot_ComposeLikeOdoo_AndAMissingOperandIsAnError()
    {
        await using var sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions(), CancellationToken.None);
        using var client = new OdooClient(new OdooClientOptions { Url = sandbox.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin", Protocol = OdooProtocol.XmlRpc });
        await client.ConnectAsync(CancellationToken.None);
        foreach (var (name, city) in new[] { ("A", "Leeds"), ("B", "York"), ("C", "Leeds"), ("D", "Hull") })
        {
            await client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?> { ["name"] = name, ["city"] = city }], null, CancellationToken.None);
        }

        async Task<string> NamesAsync(params object?[] domain) => string.Join(",", ((List<object?>)(await client.ExecuteKwAsync("res.partner", "search_read", [domain.ToList(), new List<object?> { "name" }], null, CancellationToken.None))!)
            .OfType<IReadOnlyDictionary<string, object?>>().Select(r => r["name"]).Where(n => n is "A" or "B" or "C" or "D").Order());

        Assert.Equal("A,B,C", await NamesAsync("|", new object?[] { "city", "=", "Leeds" }, new object?[] { "name", "=", "B" }));
        Assert.Equal("B,D", await NamesAsync("!", new object?[] { "city", "=", "Leeds" }, new object?[] { "name", "in", new object?[] { "A", "B", "C", "D" } }));
        Assert.Equal("C", await NamesAsync("&", new object?[] { "city", "=", "Leeds" }, "!", new object?[] { "name", "=", "A" }));
        await Assert.ThrowsAnyAsync<OdooException>(() => NamesAsync("|", new object?[] { "city", "=", "Leeds" }));
    }

    [Fact]
    public async Task EveryLinkField_PointsAtAModelTheSandboxHas()
    {
        await using var sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions(), CancellationToken.None);
        using var client = new OdooClient(new OdooClientOptions { Url = sandbox.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin", Protocol = OdooProtocol.XmlRpc });
        await client.ConnectAsync(CancellationToken.None);
        var models = ((List<object?>)(await client.ExecuteKwAsync("ir.model", "search_read", [new List<object?>(), new List<object?> { "model" }], null, CancellationToken.None))!)
            .OfType<IReadOnlyDictionary<string, object?>>().Select(m => (string)m["model"]!).ToHashSet(StringComparer.Ordinal);

        var broken = new List<string>();
        foreach (var model in models)
        {
            var fields = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync(model, "fields_get", [], new Dictionary<string, object?> { ["attributes"] = new List<object?> { "type", "relation" } }, CancellationToken.None))!;
            broken.AddRange(fields.Where(f => f.Value is IReadOnlyDictionary<string, object?> a && a["relation"] is string relation && !models.Contains(relation)).Select(f => $"{model}.{f.Key}"));
        }

        Assert.Empty(broken);
    }
}
