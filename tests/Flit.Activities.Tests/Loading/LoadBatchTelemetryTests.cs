using Flit.Activities.Loading;
using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Core.Telemetry;
using Flit.Core.Workflow;
using Flit.Tests.Shared;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Moq;

namespace Flit.Activities.Tests.Loading;

/// <summary>A load batch's telemetry, run as a host runs it (<see cref="ActivityTelemetry.RunAsync"/>): its events carry
/// the scope's migration, run, stage, object type and batch; its counters are tagged by migration, object and
/// destination; a refused record is logged by its source id and reason code, never the destination's words.</summary>
public sealed class LoadBatchTelemetryTests : LoadBatchFixture
{
    private const string BatchId = "1-workspace-000-0000";
    private const string RefusalText = "Invalid value 'Team Rocket' for field 'name'";
    private static readonly MigrationRequest Request = new(Migration, "acme", "actimo-odoo", "drop", RunMode.Full, BatchSize: 500);

    private readonly FakeLogCollector _logs = new();
    private readonly TestMeterFactory _meters = new();

    private async Task<BatchResult> RunAsync()
    {
        var (mapping, mappings) = await MappingAsync("actimo-odoo");
        var schema = new RecordSchema("workspace", "workspaces.csv", ["Workspace ID", "Name", "Parent Workspace ID"], [1, 2, 3]);
        var records = new List<SourceRecord>
        {
            new(schema, "W1", ["W1", "Group", null], new SourceLocation("workspaces.csv", 2)),
            new(schema, "W2", ["W2", "Team Rocket", null], new SourceLocation("workspaces.csv", 3)),
        };
        var batchPath = await WriteBatchAsync(1, "workspace", BatchId, records);
        var destination = new Mock<IDestination>();
        destination.SetupGet(d => d.Kind).Returns("rehearsal");
        destination.Setup(d => d.SnapshotAsync("res.partner", It.IsAny<IReadOnlyList<DestinationRecord>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, PreImage>());
        destination.Setup(d => d.UpsertAsync("res.partner", It.IsAny<IReadOnlyList<DestinationRecord>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<DestinationRecord> call, CancellationToken _) =>
                [.. call.Select(r => r.SourceId == "W2" ? new UpsertOutcome(r.ExternalId, UpsertStatus.Failed, null, RefusalText) : new UpsertOutcome(r.ExternalId, UpsertStatus.Created, "101"))]);
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(_logs)));
        var activity = new LoadBatchActivity(Store, IdMap, destination.Object, mappings, TimeProvider.System, loggers.CreateLogger<LoadBatchActivity>(), new FlitMetrics(_meters));
        var input = new ActivityInput(Request, mapping.SpecHash, new BatchWork(BatchId, "workspace", "res.partner", 1, batchPath, 2, false), RunId: "m-1#1");

        return await ActivityTelemetry.RunAsync(loggers.CreateLogger("host"), ActivityNames.LoadBatch, input, TimeProvider.System, () => activity.RunAsync(input, CancellationToken.None));
    }

    private static Dictionary<string, object?> ScopeOf(FakeLogRecord record) =>
        record.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    [Fact]
    public async Task RunAsync_InTheHostsScope_BatchLoadedEventCarriesMigrationRunStageObjectAndBatch()
    {
        await RunAsync();

        var loaded = Assert.Single(_logs.GetSnapshot(), r => r.Id.Name == "BatchLoaded");
        Assert.Equal(1010, loaded.Id.Id);
        Assert.Equal(("1", "1", "res.partner"), (loaded.GetStructuredStateValue("Created"), loaded.GetStructuredStateValue("Failed"), loaded.GetStructuredStateValue("TargetModel")));
        var scope = ScopeOf(loaded);
        Assert.Equal(Migration, scope[TelemetryNames.MigrationId]);
        Assert.Equal("m-1#1", scope[TelemetryNames.RunId]);
        Assert.Equal(ActivityNames.LoadBatch, scope[TelemetryNames.Stage]);
        Assert.Equal("workspace", scope[TelemetryNames.ObjectType]);
        Assert.Equal(BatchId, scope[TelemetryNames.BatchId]);
        Assert.Equal(["StageStarted", "StageFinished"], _logs.GetSnapshot().Where(r => r.Category == "host").Select(r => r.Id.Name));
    }

    [Fact]
    public async Task RunAsync_ARecordTheDestinationRefuses_IsLoggedByIdAndReasonCodeWithoutTheDestinationsMessage()
    {
        await RunAsync();

        var refused = Assert.Single(_logs.GetSnapshot(), r => r.Id.Name == "RecordRefused");
        Assert.Equal(("W2", IssueKinds.DestinationRefused), (refused.GetStructuredStateValue("SourceId"), refused.GetStructuredStateValue("ReasonCode")));
        Assert.All(_logs.GetSnapshot(), r =>
        {
            Assert.DoesNotContain("Team Rocket", r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(r.StructuredState ?? [], p => p.Value?.Contains("Team Rocket", StringComparison.Ordinal) == true);
        });
    }

    [Fact]
    public async Task RunAsync_OneBatch_CountsRecordsAndTimesTheBatchTaggedByMigrationObjectAndDestination()
    {
        using var read = new MetricCollector<long>(_meters, TelemetryNames.Meter, TelemetryNames.RecordsRead);
        using var written = new MetricCollector<long>(_meters, TelemetryNames.Meter, TelemetryNames.RecordsWritten);
        using var failed = new MetricCollector<long>(_meters, TelemetryNames.Meter, TelemetryNames.RecordsFailed);
        using var duration = new MetricCollector<double>(_meters, TelemetryNames.Meter, TelemetryNames.BatchDuration);

        await RunAsync();

        Assert.Equal(2, Assert.Single(read.GetMeasurementSnapshot()).Value);
        Assert.Equal(1, Assert.Single(written.GetMeasurementSnapshot()).Value);
        var failure = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal(1, failure.Value);
        Assert.Equal(Migration, failure.Tags[TelemetryNames.MigrationId]);
        Assert.Equal("workspace", failure.Tags[TelemetryNames.ObjectType]);
        Assert.Equal("rehearsal", failure.Tags[TelemetryNames.DestinationKind]);
        Assert.True(Assert.Single(duration.GetMeasurementSnapshot()).Value >= 0);
    }

    public override async Task DisposeAsync()
    {
        _meters.Dispose();
        await base.DisposeAsync();
    }
}
