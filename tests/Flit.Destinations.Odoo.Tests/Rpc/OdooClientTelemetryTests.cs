using System.Net;
using System.Text;
using Flit.Core.Telemetry;
using Flit.Destinations.Odoo.Rpc;
using Flit.Tests.Shared;
using Flit.XmlRpc;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;

namespace Flit.Destinations.Odoo.Tests.Rpc;

/// <summary>The client's telemetry: every attempt counted and timed, every retry logged with its attempt, delay and
/// reason code, throttling told apart — tagged with the migration, the model and the destination kind.</summary>
public sealed class OdooClientTelemetryTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly FakeLogger<OdooClient> _logger = new();

    public void Dispose() => _meters.Dispose();

    private sealed class Json2Server(Func<int, HttpResponseMessage> answer) : HttpMessageHandler
    {
        private int _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.RequestUri!.AbsolutePath.StartsWith("/json/2/", StringComparison.Ordinal))
            {
                var stream = new MemoryStream();
                XmlRpcCodec.WriteResponse(stream, new Dictionary<string, object?> { ["server_version"] = "19.0", ["server_version_info"] = new object?[] { 19, 0, 0, "final", 0, string.Empty } });
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(stream.ToArray()) });
            }

            return Task.FromResult(answer(++_calls));
        }
    }

    private OdooClient CreateSut(Func<int, HttpResponseMessage> answer) => new(
        new OdooClientOptions { Url = new Uri("http://odoo.test"), Database = "crm", Login = "migration@flitstack.io", ApiKey = "k-1", MaxAttempts = 3, MigrationId = "m-9" },
        new Json2Server(answer),
        _logger,
        new FlitMetrics(_meters));

    private static HttpResponseMessage Ids() => new(HttpStatusCode.OK) { Content = new StringContent("[7]", Encoding.UTF8, "application/json") };

    [Fact]
    public async Task ExecuteKw_Json2AnswersTooManyRequests_LogsThrottlingWithAttemptAndReasonThenSucceeds()
    {
        using var throttled = new MetricCollector<long>(_meters, TelemetryNames.Meter, TelemetryNames.DestinationThrottled);
        using var client = CreateSut(call => call == 1 ? new HttpResponseMessage(HttpStatusCode.TooManyRequests) : Ids());
        await client.ConnectAsync(CancellationToken.None);

        var ids = await client.ExecuteKwAsync("crm.lead", "create", [new object?[] { new Dictionary<string, object?> { ["name"] = "Deal" } }], null, CancellationToken.None);

        Assert.Equal([7L], Assert.IsType<List<object?>>(ids));
        var record = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Name == "OdooThrottled");
        Assert.Equal(2003, record.Id.Id);
        Assert.Equal("crm.lead", record.GetStructuredStateValue("TargetModel"));
        Assert.Equal("create", record.GetStructuredStateValue("Method"));
        Assert.Equal("1", record.GetStructuredStateValue("Attempt"));
        Assert.Equal("http-429", record.GetStructuredStateValue("ReasonCode"));
        Assert.True(long.Parse(record.GetStructuredStateValue("DelayMs")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        var measurement = Assert.Single(throttled.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal("m-9", measurement.Tags[TelemetryNames.MigrationId]);
        Assert.Equal("crm.lead", measurement.Tags[TelemetryNames.ObjectType]);
        Assert.Equal("odoo", measurement.Tags[TelemetryNames.DestinationKind]);
    }

    [Fact]
    public async Task ExecuteKw_SerializationConflictThenSuccess_CountsAndTimesEachAttemptAndLogsTheRetry()
    {
        using var calls = new MetricCollector<long>(_meters, TelemetryNames.Meter, TelemetryNames.DestinationCalls);
        using var latency = new MetricCollector<double>(_meters, TelemetryNames.Meter, TelemetryNames.DestinationCallDuration);
        using var client = CreateSut(call => call == 1 ? new HttpResponseMessage(HttpStatusCode.Conflict) { Content = new StringContent("{}", Encoding.UTF8, "application/json") } : Ids());
        await client.ConnectAsync(CancellationToken.None);

        await client.ExecuteKwAsync("res.partner", "create", [new object?[] { new Dictionary<string, object?> { ["name"] = "A" } }], null, CancellationToken.None);

        var attempts = calls.GetMeasurementSnapshot().Where(m => (string?)m.Tags[TelemetryNames.ObjectType] == "res.partner").ToList();
        Assert.Equal(["serialization-failure", "ok"], attempts.Select(m => (string?)m.Tags[TelemetryNames.Outcome]));
        Assert.All(attempts, m => Assert.Equal("create", m.Tags[TelemetryNames.Method]));
        Assert.Equal(2, latency.GetMeasurementSnapshot().Count(m => (string?)m.Tags[TelemetryNames.ObjectType] == "res.partner" && m.Value >= 0));
        var retry = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Name == "OdooCallRetrying");
        Assert.Equal(("res.partner", "1", "serialization-failure"), (retry.GetStructuredStateValue("TargetModel"), retry.GetStructuredStateValue("Attempt"), retry.GetStructuredStateValue("ReasonCode")));
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Id.Name == "OdooThrottled");
    }
}
