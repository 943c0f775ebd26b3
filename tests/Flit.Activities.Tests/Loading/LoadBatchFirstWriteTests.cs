using Flit.Activities.Loading;
using Flit.Core.Destinations;
using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Core.Telemetry;
using Flit.Core.Workflow;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Flit.Activities.Tests.Loading;

/// <summary>
/// A batch marked a first write (the ID map held nothing of its object when the run was partitioned) skips looking
/// its records up — unless an attempt of that very batch wrote before, which its pre-write snapshot shows: then what
/// that attempt created stays the run's creation, never an "update" of a record that was there before.
/// </summary>
public sealed class LoadBatchFirstWriteTests : LoadBatchFixture
{
    private static readonly MigrationRequest Request = new(Migration, "acme", "actimo-odoo", "drop", RunMode.Full, BatchSize: 500);

    private readonly HashSet<string> _inDestination = new(StringComparer.Ordinal);
    private int _lookups;

    [Fact]
    public async Task RunAsync_FirstWriteWithoutAnEarlierAttempt_LooksNothingUp()
    {
        var (activity, input) = await ArrangeAsync();

        var result = await activity.RunAsync(input, CancellationToken.None);

        Assert.Equal((3, 0), (result.Created, result.Failed));
        Assert.Equal(0, _lookups);
        Assert.Equal(3, await IdMap.CountAsync(Migration, "workspace", CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_FirstWriteRetriedAfterAnAttemptThatWrote_LooksUpAndKeepsItsRecordsCreated()
    {
        var (activity, input) = await ArrangeAsync();
        await activity.RunAsync(input, CancellationToken.None);

        // The activity runs again (a host retry, or a resume after a kill before the journal recorded it): the
        // destination now holds what the first attempt created.
        var again = await activity.RunAsync(input, CancellationToken.None);

        Assert.True(_lookups > 0, "the retried batch did not look its records up");
        Assert.Equal(0, again.Updated);
        await foreach (var entry in IdMap.ListAsync(Migration, "workspace", CancellationToken.None))
        {
            Assert.Equal((IdMapOperation.Created, (string?)null), (entry.Operation, entry.PreImagePath));
        }
    }

    private async Task<(LoadBatchActivity Activity, ActivityInput Input)> ArrangeAsync()
    {
        var (mapping, mappings) = await MappingAsync("actimo-odoo");
        var schema = new RecordSchema("workspace", "workspaces.csv", ["Workspace ID", "Name", "Parent Workspace ID"], [1, 2, 3]);
        var records = new List<SourceRecord>
        {
            new(schema, "W1", ["W1", "North", null], new SourceLocation("workspaces.csv", 2)),
            new(schema, "W2", ["W2", "South", null], new SourceLocation("workspaces.csv", 3)),
            new(schema, "W3", ["W3", "East", null], new SourceLocation("workspaces.csv", 4)),
        };
        var batchPath = await WriteBatchAsync(1, "workspace", "1-workspace-000-0000", records);
        var destination = new Mock<IDestination>();
        destination.Setup(d => d.SnapshotAsync("res.partner", It.IsAny<IReadOnlyList<DestinationRecord>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<DestinationRecord> batch, CancellationToken _) => batch.Where(r => _inDestination.Contains(r.ExternalId))
                .ToDictionary(r => r.ExternalId, r => new PreImage(new Dictionary<string, object?> { ["name"] = r.SourceId }, true)));
        destination.Setup(d => d.UpsertAsync("res.partner", It.IsAny<IReadOnlyList<DestinationRecord>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<DestinationRecord> call, CancellationToken _) =>
            [
                .. call.Select(r =>
                {
                    var existed = !_inDestination.Add(r.ExternalId);
                    return new UpsertOutcome(r.ExternalId, existed ? UpsertStatus.Updated : UpsertStatus.Created, "id-" + r.SourceId);
                }),
            ]);
        var counting = new Mock<IIdMap>();
        counting.Setup(m => m.LookupAsync(Migration, It.IsAny<string>(), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .Returns((string m, string o, IReadOnlyCollection<string> ids, CancellationToken t) =>
            {
                _lookups++;
                return IdMap.LookupAsync(m, o, ids, t);
            });
        counting.Setup(m => m.RecordAsync(Migration, It.IsAny<IReadOnlyList<IdMapEntry>>(), It.IsAny<CancellationToken>()))
            .Returns((string m, IReadOnlyList<IdMapEntry> entries, CancellationToken t) => IdMap.RecordAsync(m, entries, t));
        var activity = new LoadBatchActivity(Store, counting.Object, destination.Object, mappings, TimeProvider.System, NullLogger<LoadBatchActivity>.Instance, FlitMetrics.Shared);
        var input = new ActivityInput(Request, mapping.SpecHash, new BatchWork("1-workspace-000-0000", "workspace", "res.partner", 1, batchPath, 3, false, FirstWrite: true), RunId: $"{Migration}#1");
        return (activity, input);
    }
}
