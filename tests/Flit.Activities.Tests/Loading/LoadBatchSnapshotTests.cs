using Flit.Activities.Loading;
using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Core.Workflow;
using Flit.Core.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Flit.Activities.Tests.Loading;

/// <summary>
/// Every record of a batch is snapshotted before the batch's first write, those waiting for a parent in the same
/// batch included: one lookup for all the batch's rounds, and no pre-image taken after a write of the batch could have
/// changed it (Odoo copies a company's address into its contact-type children).
/// </summary>
public sealed class LoadBatchSnapshotTests : LoadBatchFixture
{
    private static readonly MigrationRequest Request = new(Migration, "acme", "actimo-odoo", "drop", RunMode.Full, BatchSize: 500);

    [Fact]
    public async Task RunAsync_AChainOfParentsInOneBatch_IsSnapshottedWholeOnceBeforeTheFirstWrite_ThenLoadsRoundByRound()
    {
        var (mapping, mappings) = await MappingAsync("actimo-odoo");
        var schema = new RecordSchema("workspace", "workspaces.csv", ["Workspace ID", "Name", "Parent Workspace ID"], [1, 2, 3]);

        // W3 under W2 under W1: three rounds.
        var records = new List<SourceRecord>
        {
            new(schema, "W3", ["W3", "Team", "W2"], new SourceLocation("workspaces.csv", 4)),
            new(schema, "W2", ["W2", "Division", "W1"], new SourceLocation("workspaces.csv", 3)),
            new(schema, "W1", ["W1", "Group", null], new SourceLocation("workspaces.csv", 2)),
        };
        var batchPath = await WriteBatchAsync(1, "workspace", "1-workspace-000-0000", records);

        var calls = new List<string>();
        var nextId = 100;
        var destination = new Mock<IDestination>();
        destination.Setup(d => d.SnapshotAsync("res.partner", It.IsAny<IReadOnlyList<DestinationRecord>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<DestinationRecord> batch, CancellationToken _) =>
            {
                calls.Add("snapshot " + string.Join(",", batch.Select(r => r.SourceId).Order(StringComparer.Ordinal)));
                return new Dictionary<string, PreImage>();
            });
        destination.Setup(d => d.UpsertAsync("res.partner", It.IsAny<IReadOnlyList<DestinationRecord>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<DestinationRecord> call, CancellationToken _) =>
            {
                calls.Add("upsert " + string.Join(",", call.Select(r => r.SourceId)));
                return [.. call.Select(r => new UpsertOutcome(r.ExternalId, UpsertStatus.Created, (nextId++).ToString(System.Globalization.CultureInfo.InvariantCulture)))];
            });
        var activity = new LoadBatchActivity(Store, IdMap, destination.Object, mappings, TimeProvider.System, NullLogger<LoadBatchActivity>.Instance, FlitMetrics.Shared);

        var result = await activity.RunAsync(new ActivityInput(Request, mapping.SpecHash, new BatchWork("1-workspace-000-0000", "workspace", "res.partner", 1, batchPath, 3, false)), CancellationToken.None);

        Assert.Equal(["snapshot W1,W2,W3", "upsert W1", "upsert W2", "upsert W3"], calls);
        Assert.Equal((3, 0), (result.Created, result.Failed));
    }
}
