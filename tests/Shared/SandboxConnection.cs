using Flit.Destinations.Odoo.Rpc;
using Flit.Sandbox.Odoo;

namespace Flit.Testing;

/// <summary>The sandbox's admin, connected over a chosen protocol (JSON-2 takes the API key, the others the password).</summary>
internal static class SandboxConnection
{
    public static async Task<OdooClient> ConnectAsync(OdooSandbox sandbox, OdooProtocol protocol = OdooProtocol.XmlRpc)
    {
        var client = new OdooClient(new OdooClientOptions
        {
            Url = sandbox.BaseAddress,
            Database = "sandbox",
            Login = "admin",
            Password = protocol == OdooProtocol.Json2 ? null : "admin",
            ApiKey = protocol == OdooProtocol.Json2 ? "admin-api-key" : null,
            Protocol = protocol,
            MaxAttempts = 3,
        });
        await client.ConnectAsync(CancellationToken.None);
        return client;
    }
}
