using Flit.Destinations.Odoo.Rpc;
using Flit.Testing;

namespace Flit.Sandbox.Odoo.Tests;

/// <summary>What create() gives a field a record leaves out — and does not give one sent empty — as the server says it.</summary>
public sealed class OdooDefaultsTests : IAsyncLifetime
{
    private OdooSandbox _sandbox = null!;
    private OdooClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions(), CancellationToken.None);
        _client = await SandboxConnection.ConnectAsync(_sandbox);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    private async Task<IReadOnlyDictionary<string, object?>> ReadAsync(string model, long id, params string[] fields) =>
        (IReadOnlyDictionary<string, object?>)((List<object?>)(await _client.ExecuteKwAsync(model, "read", [new List<object?> { id }, fields.Select(f => (object?)f).ToList()], null, CancellationToken.None))!)[0]!;

    [Fact]
    public async Task DefaultGet_AnswersWhatCreateGivesALeftOutField_AndAnEmptyValueOverridesIt()
    {
        var defaults = (IReadOnlyDictionary<string, object?>)(await _client.ExecuteKwAsync("res.partner", "default_get", [new List<object?> { "type", "active", "name", "is_company" }], null, CancellationToken.None))!;
        var leftOut = (long)(await _client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?> { ["name"] = "Ada" }], null, CancellationToken.None))!;
        var sentEmpty = (long)(await _client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?> { ["name"] = "Bo", ["type"] = false, ["active"] = false }], null, CancellationToken.None))!;

        Assert.Equal(new Dictionary<string, object?> { ["type"] = "contact", ["active"] = true, ["is_company"] = false }, defaults);
        Assert.Equal(("contact", true), ((await ReadAsync("res.partner", leftOut, "type", "active"))["type"], (await ReadAsync("res.partner", leftOut, "type", "active"))["active"]));
        var empty = await ReadAsync("res.partner", sentEmpty, "type", "active");
        Assert.Equal((false, false), (empty["type"], empty["active"]));
    }

    [Fact]
    public async Task FieldsGet_Depends_NamesTheFieldsOdooComputes()
    {
        var fields = (IReadOnlyDictionary<string, object?>)(await _client.ExecuteKwAsync("crm.lead", "fields_get", [], new Dictionary<string, object?> { ["attributes"] = new List<object?> { "depends" } }, CancellationToken.None))!;

        static IList<object?> Depends(object? field) => (IList<object?>)((IReadOnlyDictionary<string, object?>)field!)["depends"]!;
        Assert.Equal(["partner_id.email"], Depends(fields["email_from"]));
        Assert.NotEmpty(Depends(fields["stage_id"]));
        Assert.Empty(Depends(fields["description"]));
        Assert.Empty(Depends(fields["partner_id"]));
    }
}
