using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flit.XmlRpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flit.Sandbox.Odoo;

/// <summary>
/// A local Odoo-compatible server (XML-RPC, JSON-RPC, and JSON-2 from version 19) for tests, benchmarks and the
/// demo. It enforces Odoo's rules for the models the pairs write and answers with Odoo's fault codes and wording;
/// it counts calls per model and method, can add latency, a real server's time per call and per record written (on
/// workers a request holds, as Odoo's), and transient faults, and dumps its state.
/// </summary>
public sealed class OdooSandbox : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly OdooDatabase _database;
    private readonly OdooSandboxOptions _options;
    private readonly OdooWorkers _workers;
    private int _objectCalls;

    private OdooSandbox(WebApplication app, OdooDatabase database, OdooSandboxOptions options)
    {
        _app = app;
        _database = database;
        _options = options;
        _workers = new OdooWorkers(options.Workers, options.Time) { PerCall = options.CallOverhead, PerRecord = options.RecordCost };
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Added latency, changeable while running.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Every Nth object call fails once with a serialization failure (0 = never), changeable while running.</summary>
    public int FailEveryNthCall { get; set; }

    /// <summary>Server time of every object call, on a worker (see <see cref="OdooSandboxOptions.CallOverhead"/>).</summary>
    public TimeSpan CallOverhead
    {
        get => _workers.PerCall;
        set => _workers.PerCall = value;
    }

    /// <summary>Server time per record an object call writes (see <see cref="OdooSandboxOptions.RecordCost"/>).</summary>
    public TimeSpan RecordCost
    {
        get => _workers.PerRecord;
        set => _workers.PerRecord = value;
    }

    /// <summary>Records object calls created, wrote or deleted since start or the last reset (what <see cref="RecordCost"/>
    /// was charged for).</summary>
    public long RecordsWritten => _workers.RecordsWritten;

    public static async Task<OdooSandbox> StartAsync(OdooSandboxOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Loopback, options.Port);

            // Odoo refuses request bodies over 128 MiB (odoo/http.py, DEFAULT_MAX_CONTENT_LENGTH).
            k.Limits.MaxRequestBodySize = 128L * 1024 * 1024;
        });
        var app = builder.Build();
        var sandbox = new OdooSandbox(app, new OdooDatabase(options, options.Time), options)
        {
            Latency = options.Latency,
            FailEveryNthCall = options.FailEveryNthCall,
        };
        sandbox.Map();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        sandbox.BaseAddress = new Uri(address);
        return sandbox;
    }

    /// <summary>Calls per (model, method) since start or the last reset.</summary>
    public IReadOnlyDictionary<(string Model, string Method), int> Calls => _database.Calls;

    public void ResetCalls()
    {
        _database.Calls.Clear();
        _workers.Reset();
    }

    /// <summary>All records of all models (sorted) as JSON: compare two dumps field by field.</summary>
    public string Dump() => JsonSerializer.Serialize(_database.Dump(), Json);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _workers.Dispose();
    }

    private void Map()
    {
        foreach (var path in new[] { "/xmlrpc/2/common", "/xmlrpc/common" })
        {
            _app.MapPost(path, context => XmlRpcAsync(context, CommonAsync));
        }

        foreach (var path in new[] { "/xmlrpc/2/object", "/xmlrpc/object" })
        {
            _app.MapPost(path, context => XmlRpcAsync(context, ObjectCallAsync));
        }

        _app.MapPost("/jsonrpc", JsonRpcAsync);
        _app.MapGet("/web/version", () => Results.Json(new { version = _options.Version, version_info = VersionInfo() }));
        _app.MapGet("/sandbox/stats", () => Results.Json(_database.Calls.OrderBy(c => c.Key.Model, StringComparer.Ordinal).ThenBy(c => c.Key.Method, StringComparer.Ordinal).Select(c => new { model = c.Key.Model, method = c.Key.Method, calls = c.Value })));
        _app.MapGet("/sandbox/dump", () => Results.Text(Dump(), "application/json"));
        if (OdooModels.IsAtLeast(_options.Version, 19, 0))
        {
            _app.MapPost("/json/2/{model}/{method}", Json2Async);
        }
    }

    private object?[] VersionInfo()
    {
        var parts = _options.Version.Replace("saas~", string.Empty, StringComparison.Ordinal).Split('.');
        return [int.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0, 0, "final", 0, string.Empty];
    }

    private object? Common(string method, IReadOnlyList<object?> args) => method switch
    {
        "version" => new Dictionary<string, object?> { ["server_version"] = _options.Version, ["server_version_info"] = VersionInfo(), ["server_serie"] = _options.Version, ["protocol_version"] = 1 },
        "login" or "authenticate" => Authenticate(args) is { } uid ? uid : false,
        _ => throw new OdooFaultException(1, $"Method not available {method}", "builtins.NameError"),
    };

    /// <summary>The user id when db, login and password (or API key) match; null otherwise (Odoo answers False).</summary>
    private long? Authenticate(IReadOnlyList<object?> args)
    {
        if (args.Count < 3 || args[0] as string != _options.Database)
        {
            return null;
        }

        var user = _options.Users.FirstOrDefault(u => u.Login == args[1] as string && (u.Password == args[2] as string || (u.ApiKey is not null && u.ApiKey == args[2] as string)));
        return user is null ? null : _database.UserId(user.Login);
    }

    private async Task<object?> ObjectCallAsync(string method, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        if (method is not ("execute_kw" or "execute") || args.Count < 5)
        {
            throw new OdooFaultException(1, $"Method not available {method}", "builtins.NameError");
        }

        var uid = args[1] is long id ? id : -1;
        var user = _options.Users.FirstOrDefault(u => _database.UserId(u.Login) == uid);
        if (args[0] as string != _options.Database || user is null || (user.Password != args[2] as string && user.ApiKey != args[2] as string))
        {
            throw OdooFaultException.Denied();
        }

        var positional = method == "execute_kw" ? args.Count > 5 ? args[5] as IReadOnlyList<object?> ?? [] : [] : [.. args.Skip(5)];
        var keywords = method == "execute_kw" && args.Count > 6 ? args[6] as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>() : new Dictionary<string, object?>();
        return await ExecuteAsync(uid, (string)args[3]!, (string)args[4]!, positional, keywords, cancellationToken);
    }

    private Task<object?> ExecuteAsync(long uid, string model, string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, CancellationToken cancellationToken) =>
        _workers.RunAsync(OdooWorkers.RecordsOf(method, args, kwargs), () =>
        {
            var n = Interlocked.Increment(ref _objectCalls);
            if (FailEveryNthCall > 0 && n % FailEveryNthCall == 0)
            {
                throw new OdooFaultException(1, "could not serialize access due to concurrent update", "psycopg2.errors.SerializationFailure");
            }

            return _database.Execute(uid, model, method, args, kwargs);
        }, cancellationToken);

    private Task<object?> CommonAsync(string method, IReadOnlyList<object?> args, CancellationToken cancellationToken) => Task.FromResult(Common(method, args));

    private async Task XmlRpcAsync(HttpContext context, Func<string, IReadOnlyList<object?>, CancellationToken, Task<object?>> handler)
    {
        await DelayAsync(context.RequestAborted);
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        body.Position = 0;
        var response = new MemoryStream();
        try
        {
            var (method, args) = XmlRpcCodec.ReadMethodCall(body);
            var result = await handler(method, args, context.RequestAborted);
            // Odoo marshals with allow_none=False: a None result is itself a fault.
            if (result is null)
            {
                throw new OdooFaultException(1, "cannot marshal None unless allow_none is enabled", "builtins.TypeError");
            }

            XmlRpcCodec.WriteResponse(response, result);
        }
        catch (OdooFaultException fault)
        {
            response.SetLength(0);
            XmlRpcCodec.WriteFault(response, fault.Code, fault.FaultString);
        }
        catch (XmlRpcFormatException e)
        {
            response.SetLength(0);
            XmlRpcCodec.WriteFault(response, 1, new OdooFaultException(1, e.Message, "xml.parsers.expat.ExpatError").FaultString);
        }

        context.Response.ContentType = "text/xml";
        await context.Response.Body.WriteAsync(response.ToArray(), context.RequestAborted);
    }

    private async Task JsonRpcAsync(HttpContext context)
    {
        await DelayAsync(context.RequestAborted);
        var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        var id = request?["id"]?.DeepClone();
        try
        {
            var parameters = request?["params"] as JsonObject ?? throw new OdooFaultException(1, "Invalid JSON-RPC request", "werkzeug.exceptions.BadRequest");
            var service = parameters["service"]?.GetValue<string>();
            var method = parameters["method"]?.GetValue<string>() ?? string.Empty;
            var args = FromJson(parameters["args"]) as IReadOnlyList<object?> ?? [];
            var result = service switch
            {
                "common" => Common(method, args),
                "object" => await ObjectCallAsync(method, args, context.RequestAborted),
                _ => throw new OdooFaultException(1, $"Unknown service {service}", "builtins.KeyError"),
            };
            await context.Response.WriteAsJsonAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = ToJson(result) }, context.RequestAborted);
        }
        catch (OdooFaultException fault)
        {
            // JSON-RPC errors travel with HTTP 200.
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = id,
                ["error"] = new JsonObject
                {
                    ["code"] = 200,
                    ["message"] = "Odoo Server Error",
                    ["data"] = new JsonObject { ["name"] = Qualified(fault.ExceptionType), ["message"] = fault.Message, ["arguments"] = new JsonArray(fault.Message), ["context"] = new JsonObject(), ["debug"] = fault.FaultString },
                },
            }, context.RequestAborted);
        }
    }

    private async Task Json2Async(HttpContext context, string model, string method)
    {
        await DelayAsync(context.RequestAborted);
        var auth = context.Request.Headers.Authorization.ToString();
        var key = auth.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..] : null;
        var user = _options.Users.FirstOrDefault(u => u.ApiKey is not null && u.ApiKey == key);
        if (user is null)
        {
            await Json2ErrorAsync(context, StatusCodes.Status401Unauthorized, OdooFaultException.Denied());
            return;
        }

        try
        {
            var body = FromJson(await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted)) as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>();
            var kwargs = new Dictionary<string, object?>(body, StringComparer.Ordinal);
            var result = await ExecuteAsync(_database.UserId(user.Login)!.Value, model, method, [], kwargs, context.RequestAborted);
            await context.Response.WriteAsJsonAsync(ToJson(result), context.RequestAborted);
        }
        catch (OdooFaultException fault)
        {
            var status = fault.Code switch
            {
                2 => StatusCodes.Status422UnprocessableEntity,
                3 => StatusCodes.Status401Unauthorized,
                4 => StatusCodes.Status403Forbidden,
                _ when fault.ExceptionType.Contains("SerializationFailure", StringComparison.Ordinal) => StatusCodes.Status409Conflict,
                _ when fault.ExceptionType is "builtins.AttributeError" or "builtins.KeyError" => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status500InternalServerError,
            };
            await Json2ErrorAsync(context, status, fault);
        }
    }

    private static async Task Json2ErrorAsync(HttpContext context, int status, OdooFaultException fault)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["name"] = Qualified(fault.ExceptionType), ["message"] = fault.Message, ["arguments"] = new JsonArray(fault.Message), ["context"] = new JsonObject(), ["debug"] = fault.FaultString }, context.RequestAborted);
    }

    private static string Qualified(string type) => type.StartsWith("builtins.", StringComparison.Ordinal) ? type[9..] : type;

    private async Task DelayAsync(CancellationToken cancellationToken)
    {
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken);
        }
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IReadOnlyDictionary<string, object?> map => new JsonObject(map.Select(m => KeyValuePair.Create(m.Key, ToJson(m.Value)))),
        string s => JsonValue.Create(s),
        System.Collections.IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(ToJson)]),
        _ => JsonSerializer.SerializeToNode(value, Json),
    };

    private static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => FromJson(p.Value)),
        JsonArray array => array.Select(FromJson).ToList(),
        JsonValue value when value.TryGetValue<bool>(out var b) => b,
        JsonValue value when value.TryGetValue<long>(out var l) => l,
        JsonValue value when value.TryGetValue<double>(out var d) => d,
        JsonValue value => value.GetValue<string>(),
        _ => null,
    };
}
