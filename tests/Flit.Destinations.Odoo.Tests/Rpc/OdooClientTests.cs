using System.Net;
using System.Text;
using Flit.Destinations.Odoo.Rpc;
using Flit.XmlRpc;

namespace Flit.Destinations.Odoo.Tests.Rpc;

public sealed class OdooClientTests
{
    /// <summary>A server that answers each request from a script and remembers what it was asked.</summary>
    private sealed class ScriptedServer(Func<HttpRequestMessage, string, int, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add((request, body));
            return answer(request, body, Requests.Count);
        }
    }

    private static HttpResponseMessage Xml(Action<Stream> write)
    {
        var stream = new MemoryStream();
        write(stream);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(stream.ToArray()) };
    }

    private static HttpResponseMessage Version(int major) => Xml(s => XmlRpcCodec.WriteResponse(s, new Dictionary<string, object?>
    {
        ["server_version"] = $"{major}.0",
        ["server_version_info"] = new object?[] { major, 0, 0, "final", 0, string.Empty },
        ["protocol_version"] = 1,
    }));

    private static OdooClientOptions Options(OdooProtocol protocol = OdooProtocol.Auto, string? apiKey = null) => new()
    {
        Url = new Uri("http://odoo.test"),
        Database = "crm",
        Login = "migration@flitstack.io",
        Password = apiKey is null ? "secret" : null,
        ApiKey = apiKey,
        Protocol = protocol,
        MaxAttempts = 3,
    };

    private static HttpResponseMessage XmlRpcServer(string body, int call, Func<string, int, HttpResponseMessage> objectAnswer) =>
        body.Contains("<methodName>version</methodName>", StringComparison.Ordinal) ? Version(17)
        : body.Contains("<methodName>authenticate</methodName>", StringComparison.Ordinal) ? Xml(s => XmlRpcCodec.WriteResponse(s, 2))
        : objectAnswer(body, call);

    [Fact]
    public async Task ExecuteKw_SerializationFailureFault_IsRetriedThenSucceeds()
    {
        var failures = 0;
        var server = new ScriptedServer((_, body, call) => XmlRpcServer(body, call, (_, _) => failures++ == 0
            ? Xml(s => XmlRpcCodec.WriteFault(s, 1, "Traceback (most recent call last):\n  File \"odoo/service/model.py\"\npsycopg2.errors.SerializationFailure: could not serialize access due to concurrent update"))
            : Xml(s => XmlRpcCodec.WriteResponse(s, new object?[] { 41, 42 }))));
        using var client = new OdooClient(Options(), server);
        await client.ConnectAsync(CancellationToken.None);

        var ids = await client.ExecuteKwAsync("res.partner", "create", [new object?[] { new Dictionary<string, object?> { ["name"] = "A" }, new Dictionary<string, object?> { ["name"] = "B" } }], null, CancellationToken.None);

        Assert.Equal([41L, 42L], Assert.IsType<List<object?>>(ids));
        Assert.Equal(2, server.Requests.Count(r => r.Body.Contains("execute_kw", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(2, typeof(OdooUserException))]
    [InlineData(3, typeof(OdooAccessDeniedException))]
    [InlineData(4, typeof(OdooAccessException))]
    [InlineData(1, typeof(OdooServerException))]
    public async Task ExecuteKw_Fault_MapsToItsTypeAndIsNotRetried(int code, Type expected)
    {
        var server = new ScriptedServer((_, body, call) => XmlRpcServer(body, call, (_, _) =>
            Xml(s => XmlRpcCodec.WriteFault(s, code, "Traceback ...\nValueError: Invalid field 'mobile' on model 'res.partner'"))));
        using var client = new OdooClient(Options(), server);
        await client.ConnectAsync(CancellationToken.None);

        var error = await Assert.ThrowsAnyAsync<OdooException>(() => client.ExecuteKwAsync("res.partner", "write", [new[] { 1 }, new Dictionary<string, object?> { ["mobile"] = "1" }], null, CancellationToken.None));

        Assert.IsType(expected, error);
        Assert.Equal(1, server.Requests.Count(r => r.Body.Contains("execute_kw", StringComparison.Ordinal)));
        if (error is OdooServerException server1)
        {
            Assert.Equal("ValueError: Invalid field 'mobile' on model 'res.partner'", server1.Message);
        }
    }

    [Fact]
    public async Task Connect_AuthenticateAnswersFalse_IsAccessDenied()
    {
        var server = new ScriptedServer((_, body, _) => body.Contains("authenticate", StringComparison.Ordinal) ? Xml(s => XmlRpcCodec.WriteResponse(s, false)) : Version(17));
        using var client = new OdooClient(Options(), server);

        var error = await Assert.ThrowsAsync<OdooAccessDeniedException>(() => client.ConnectAsync(CancellationToken.None));

        Assert.Contains("migration@flitstack.io", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_Odoo19WithApiKey_UsesJson2WithBearerAndDatabaseHeaders()
    {
        var server = new ScriptedServer((request, body, _) => request.RequestUri!.AbsolutePath.StartsWith("/json/2/", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("[7]", Encoding.UTF8, "application/json") }
            : Version(19));
        using var client = new OdooClient(Options(apiKey: "k-123"), server);
        await client.ConnectAsync(CancellationToken.None);

        var ids = await client.ExecuteKwAsync("crm.lead", "create", [new object?[] { new Dictionary<string, object?> { ["name"] = "Deal" } }], new Dictionary<string, object?> { ["context"] = new Dictionary<string, object?> { ["tracking_disable"] = true } }, CancellationToken.None);

        Assert.Equal(OdooProtocol.Json2, client.Protocol);
        Assert.Equal([7L], Assert.IsType<List<object?>>(ids));
        var (request, body) = server.Requests.Last();
        Assert.Equal("/json/2/crm.lead/create", request.RequestUri!.AbsolutePath);
        Assert.Equal("bearer k-123", request.Headers.Authorization!.ToString());
        Assert.Equal("crm", request.Headers.GetValues("X-Odoo-Database").Single());
        Assert.Contains("\"vals_list\":[{\"name\":\"Deal\"}]", body, StringComparison.Ordinal);
        Assert.Contains("\"tracking_disable\":true", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json2_Unprocessable_IsAUserErrorWithOddosMessage()
    {
        var server = new ScriptedServer((request, _, _) => request.RequestUri!.AbsolutePath.StartsWith("/json/2/", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.UnprocessableEntity) { Content = new StringContent("{\"name\":\"odoo.exceptions.ValidationError\",\"message\":\"Missing required field\",\"arguments\":[],\"context\":{},\"debug\":\"\"}") }
            : Version(19));
        using var client = new OdooClient(Options(apiKey: "k"), server);
        await client.ConnectAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<OdooUserException>(() => client.ExecuteKwAsync("crm.lead", "create", [Array.Empty<object?>()], null, CancellationToken.None));

        Assert.Equal("odoo.exceptions.ValidationError", error.ServerType);
    }

    [Fact]
    public async Task JsonRpc_ErrorWithHttp200_MapsByExceptionName()
    {
        var server = new ScriptedServer((_, body, _) => body.Contains("\"authenticate\"", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":2}") }
            : body.Contains("\"version\"", StringComparison.Ordinal) || !body.Contains("execute_kw", StringComparison.Ordinal) ? Version(17)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":200,\"message\":\"Odoo Server Error\",\"data\":{\"name\":\"odoo.exceptions.AccessError\",\"message\":\"You are not allowed to modify 'Lead/Opportunity' (crm.lead) records.\",\"arguments\":[],\"context\":{},\"debug\":\"Traceback...\"}}}") });
        using var client = new OdooClient(Options(OdooProtocol.JsonRpc), server);
        await client.ConnectAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<OdooAccessException>(() => client.ExecuteKwAsync("crm.lead", "write", [new[] { 1 }, new Dictionary<string, object?>()], null, CancellationToken.None));

        Assert.Contains("crm.lead", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Incomplete_ListsEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new OdooClient(new OdooClientOptions { Url = new Uri("ftp://x"), Database = "", Login = "", Protocol = OdooProtocol.Json2 }));

        Assert.Contains("Url must be", error.Message, StringComparison.Ordinal);
        Assert.Contains("Database is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("JSON-2 needs an ApiKey", error.Message, StringComparison.Ordinal);
    }
}
