using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Nodes;
using Flit.Core.Telemetry;
using Flit.XmlRpc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Flit.Destinations.Odoo.Rpc;

/// <summary>
/// Odoo's external API over one HttpClient: XML-RPC (<c>/xmlrpc/2</c>), JSON-RPC (<c>/jsonrpc</c>) and Odoo 19's
/// JSON-2 (<c>/json/2/&lt;model&gt;/&lt;method&gt;</c>, bearer API key). Faults become typed exceptions by Odoo's
/// codes; only transport errors and serialization failures/deadlocks are retried (writes are made safe to repeat
/// by upserting on xmlids, not by the retry). Each attempt is measured (<see cref="TelemetryNames.DestinationCalls"/>,
/// <see cref="TelemetryNames.DestinationCallDuration"/>) and each retry logged with its reason code.
/// </summary>
public sealed class OdooClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new Base64StringConverter() }, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private readonly HttpClient _http;
    private readonly OdooClientOptions _options;
    private static readonly ResiliencePropertyKey<(string Model, string Method)> CallKey = new("flit.odoo.call");

    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;
    private readonly FlitMetrics _metrics;
    private long? _uid;
    private int _requestId;

    /// <param name="options">Where and how to connect.</param>
    /// <param name="handler">The HTTP handler (tests inject one).</param>
    /// <param name="logger">Retries, throttling and the connection; hosts pass theirs (none is logged without one).</param>
    /// <param name="metrics">Call counts and latency; <see cref="FlitMetrics.Shared"/> when not given.</param>
    public OdooClient(OdooClientOptions options, HttpMessageHandler? handler = null, ILogger<OdooClient>? logger = null, FlitMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger<OdooClient>.Instance;
        _metrics = metrics ?? FlitMetrics.Shared;
        // One pooled handler: keep-alive connections, recycled periodically so DNS changes are seen.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All })
        {
            BaseAddress = options.Url,
            Timeout = options.Timeout,
        };
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, options.MaxAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutException>()
                    .Handle<OdooServerException>(e => e.IsTransient),
                OnRetry = args =>
                {
                    OnRetry(args.Context, args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>The protocol in use (decided from the server version when <see cref="OdooProtocol.Auto"/>).</summary>
    public OdooProtocol Protocol { get; private set; }

    /// <summary>The server's version, e.g. <c>17.0</c> or <c>saas~18.2</c>.</summary>
    public string? ServerVersion { get; private set; }

    /// <summary>Reads the version and picks the protocol: JSON-2 from 19 when an API key is configured.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var version = await CallAsync("common", "version", ct => CallXmlRpcAsync("/xmlrpc/2/common", "version", [], ct), cancellationToken) as IReadOnlyDictionary<string, object?>;
        ServerVersion = version?.GetValueOrDefault("server_version") as string;
        var major = version?.GetValueOrDefault("server_version_info") is List<object?> { Count: > 0 } info ? Convert.ToInt32(info[0], CultureInfo.InvariantCulture) : 0;
        Protocol = _options.Protocol != OdooProtocol.Auto ? _options.Protocol
            : major >= 19 && _options.ApiKey is not null ? OdooProtocol.Json2
            : OdooProtocol.XmlRpc;
        if (Protocol != OdooProtocol.Json2)
        {
            _uid = await AuthenticateAsync(cancellationToken);
        }

        _logger.OdooConnected(ServerVersion, Protocol.ToString());
    }

    /// <summary>The user id, or an <see cref="OdooAccessDeniedException"/> when Odoo answers False.</summary>
    public async Task<long> AuthenticateAsync(CancellationToken cancellationToken)
    {
        object?[] args = [_options.Database, _options.Login, _options.Secret, new Dictionary<string, object?>()];
        var result = Protocol == OdooProtocol.JsonRpc
            ? await CallAsync("common", "authenticate", ct => CallJsonRpcAsync("common", "authenticate", args, ct), cancellationToken)
            : await CallAsync("common", "authenticate", ct => CallXmlRpcAsync("/xmlrpc/2/common", "authenticate", args, ct), cancellationToken);
        return result switch
        {
            long uid and > 0 => uid,
            int uid and > 0 => uid,
            _ => throw new OdooAccessDeniedException($"Odoo refused the login '{_options.Login}' on database '{_options.Database}' (authenticate answered {result ?? "None"})."),
        };
    }

    /// <summary>
    /// Calls a model method. <paramref name="args"/> are positional as execute_kw takes them; for JSON-2 the
    /// common methods' positional arguments are named as Odoo's signatures name them.
    /// </summary>
    public Task<object?> ExecuteKwAsync(string model, string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (method.StartsWith('_'))
        {
            throw new ArgumentException($"Odoo rejects private methods ('{method}').", nameof(method));
        }

        return CallAsync(model, method, ct => Protocol switch
        {
            OdooProtocol.Json2 => CallJson2Async(model, method, args, kwargs, ct),
            OdooProtocol.JsonRpc => CallJsonRpcAsync("object", "execute_kw", [_options.Database, Uid, _options.Secret, model, method, args, kwargs ?? new Dictionary<string, object?>()], ct),
            _ => CallXmlRpcAsync("/xmlrpc/2/object", "execute_kw", [_options.Database, Uid, _options.Secret, model, method, args, kwargs ?? new Dictionary<string, object?>()], ct),
        }, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>One call through the retry pipeline; the model and method ride in its context for the retry's log line.</summary>
    private async Task<object?> CallAsync(string model, string method, Func<CancellationToken, Task<object?>> call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, (model, method));
        try
        {
            return await _retry.ExecuteAsync(
                static async (context, state) => await state.Client.AttemptAsync(state.Model, state.Method, state.Call, context.CancellationToken),
                context,
                (Client: this, Model: model, Method: method, Call: call));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One attempt, counted and timed with its outcome.</summary>
    private async Task<object?> AttemptAsync(string model, string method, Func<CancellationToken, Task<object?>> call, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            var result = await call(cancellationToken);
            _metrics.DestinationCall(_options.MigrationId, DestinationKind, model, method, "ok", TimeProvider.System.GetElapsedTime(started));
            return result;
        }
        catch (Exception e)
        {
            _metrics.DestinationCall(_options.MigrationId, DestinationKind, model, method, ReasonCode(e), TimeProvider.System.GetElapsedTime(started));
            throw;
        }
    }

    private void OnRetry(ResilienceContext context, Exception? failure, int attempt, TimeSpan delay)
    {
        var (model, method) = context.Properties.GetValue(CallKey, ("?", "?"));
        var reason = ReasonCode(failure);
        var throttled = IsThrottling(failure);
        _metrics.DestinationRetry(_options.MigrationId, DestinationKind, model, method, reason, throttled);
        if (throttled)
        {
            _logger.OdooThrottled(model, method, attempt, reason, (long)delay.TotalMilliseconds);
        }
        else
        {
            _logger.OdooCallRetrying(model, method, attempt, reason, (long)delay.TotalMilliseconds);
        }
    }

    private const string DestinationKind = "odoo";

    /// <summary>HTTP 429 (too many requests) and 503 (a proxy or Odoo.sh's limiter shedding load).</summary>
    internal static bool IsThrottling(Exception? failure) =>
        failure is HttpRequestException { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable };

    /// <summary>A failure as a short code for logs and metric tags: never its message, which may quote values.</summary>
    internal static string ReasonCode(Exception? failure) => failure switch
    {
        null => "ok",
        HttpRequestException { StatusCode: { } status } => string.Create(CultureInfo.InvariantCulture, $"http-{(int)status}"),
        HttpRequestException => "transport",
        TimeoutException => "timeout",
        OperationCanceledException => "canceled",
        OdooServerException { IsTransient: true } server => server.Traceback.Contains("deadlock", StringComparison.OrdinalIgnoreCase) ? "deadlock" : "serialization-failure",
        OdooServerException => "server-error",
        OdooUserException => "user-error",
        OdooAccessDeniedException => "access-denied",
        OdooAccessException => "access-error",
        _ => failure.GetType().Name,
    };

    private long Uid => _uid ?? throw new InvalidOperationException("Call ConnectAsync first.");

    private async Task<object?> CallXmlRpcAsync(string path, string method, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        XmlRpcCodec.WriteMethodCall(body, method, args);
        using var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
        using var response = await SendAsync(HttpMethod.Post, path, content, null, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return XmlRpcCodec.ReadResponse(stream);
        }
        catch (XmlRpcFaultException fault)
        {
            throw FromFault(fault.FaultCode, fault.FaultString, null);
        }
    }

    private async Task<object?> CallJsonRpcAsync(string service, string method, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "call",
            ["id"] = Interlocked.Increment(ref _requestId),
            ["params"] = new JsonObject { ["service"] = service, ["method"] = method, ["args"] = ToJson(args) },
        };
        using var content = JsonBody(request);
        using var response = await SendAsync(HttpMethod.Post, "/jsonrpc", content, null, cancellationToken);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject
            ?? throw new OdooServerException("Odoo answered JSON-RPC with something that is not a JSON object.", string.Empty);
        if (answer["error"] is JsonObject error)
        {
            var data = error["data"] as JsonObject;
            var name = data?["name"]?.GetValue<string>();
            var message = data?["message"]?.GetValue<string>() ?? error["message"]?.GetValue<string>() ?? "Odoo Server Error";
            throw FromName(name, message, data?["debug"]?.GetValue<string>() ?? message);
        }

        return FromJson(answer["result"]);
    }

    private async Task<object?> CallJson2Async(string model, string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        foreach (var (name, value) in Json2Arguments(method, args))
        {
            body[name] = ToJson(value);
        }

        foreach (var (name, value) in kwargs ?? new Dictionary<string, object?>())
        {
            body[name] = ToJson(value);
        }

        using var content = JsonBody(body);
        using var response = await SendAsync(HttpMethod.Post, $"/json/2/{model}/{method}", content, request =>
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("bearer", _options.ApiKey);
            request.Headers.Add("X-Odoo-Database", _options.Database);
        }, cancellationToken, allowErrors: true);
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
        {
            // Throttled: no JSON error to read, and worth another try after the backoff (as the other protocols do).
            throw new HttpRequestException($"Odoo answered /json/2/{model}/{method} with HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return FromJson(JsonNode.Parse(text));
        }

        var error = JsonNode.Parse(text) as JsonObject;
        var message = error?["message"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
        var type = error?["name"]?.GetValue<string>();
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new OdooAccessDeniedException(message, type),
            HttpStatusCode.Forbidden => new OdooAccessException(message, type),
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound => new OdooUserException(message, type),
            HttpStatusCode.Conflict => new OdooServerException(message, "could not serialize access due to concurrent update: " + message, type),
            _ => FromName(type, message, error?["debug"]?.GetValue<string>() ?? message),
        };
    }

    /// <summary>JSON-2 takes named parameters only: the positional arguments of the methods we use, by Odoo's names.</summary>
    private static IEnumerable<(string Name, object? Value)> Json2Arguments(string method, IReadOnlyList<object?> args)
    {
        string[] names = method switch
        {
            "create" => ["vals_list"],
            "write" => ["ids", "vals"],
            "unlink" or "read" => ["ids", "fields"],
            "search" or "search_read" or "search_count" => ["domain", "fields"],
            "load" => ["fields", "data"],
            "fields_get" => ["allfields", "attributes"],
            "default_get" => ["fields"],
            _ when args.Count == 0 => [],
            _ => throw new ArgumentException($"JSON-2 needs named arguments: pass them as keyword arguments for '{method}'.", nameof(method)),
        };
        for (var i = 0; i < args.Count; i++)
        {
            yield return (i < names.Length ? names[i] : throw new ArgumentException($"Too many positional arguments for '{method}' over JSON-2."), args[i]);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent content, Action<HttpRequestMessage>? decorate, CancellationToken cancellationToken, bool allowErrors = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        decorate?.Invoke(request);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Odoo did not answer {path} within {_options.Timeout.TotalSeconds:0} s.", e);
        }

        if (!allowErrors && !response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new HttpRequestException($"Odoo answered {path} with HTTP {status}.", null, (HttpStatusCode)status);
        }

        return response;
    }

    internal static OdooException FromFault(int code, string text, string? type) => code switch
    {
        2 => new OdooUserException(text, type),
        3 => new OdooAccessDeniedException(text, type),
        4 => new OdooAccessException(text, type),
        _ => new OdooServerException(OdooServerException.LastLine(text), text, type),
    };

    private static OdooException FromName(string? name, string message, string debug) => name switch
    {
        "odoo.exceptions.AccessDenied" => new OdooAccessDeniedException(message, name),
        "odoo.exceptions.AccessError" => new OdooAccessException(message, name),
        "odoo.exceptions.UserError" or "odoo.exceptions.ValidationError" or "odoo.exceptions.MissingError" or "odoo.exceptions.RedirectWarning" => new OdooUserException(message, name),
        _ => new OdooServerException(message, debug, name),
    };

    /// <summary>A JSON request body as UTF-8 bytes, serialised once (file content included, from its bytes).</summary>
    private static ByteArrayContent JsonBody(JsonNode body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, Json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>File content as a JSON string, written straight from the bytes when the body is serialised.</summary>
    private sealed class Base64StringConverter : JsonConverter<Base64String>
    {
        public override Base64String Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetBytesFromBase64());

        public override void Write(Utf8JsonWriter writer, Base64String value, JsonSerializerOptions options) =>
            writer.WriteBase64StringValue(value.Bytes);
    }

    /// <summary>With the options the body is written with: a node written with other options is re-resolved by them.</summary>
    private static readonly JsonTypeInfo<Base64String> Base64StringJson = (JsonTypeInfo<Base64String>)Json.GetTypeInfo(typeof(Base64String));

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        Base64String text => JsonValue.Create(text, Base64StringJson),
        DateTime d => JsonValue.Create(d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        DateOnly d => JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
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
        _ => node.ToJsonString(),
    };
}
