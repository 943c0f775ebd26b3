using System.Text.Json;
using Flit.Activities.Loading;
using Flit.Activities.Partitioning;
using Flit.Core.Records;
using Flit.Core.Workflow;

namespace Flit.Activities.Tests.Loading;

public sealed class PlanRetryActivityTests
{
    private static readonly MigrationRequest Request = new("m-1", "acme", "arkcase-odoo", "drop", RunMode.Full);

    [Fact]
    public async Task RunAsync_MissingParentFailures_BecomeRetryBatchesWithExactlyThoseRecords()
    {
        var store = new InMemoryStagingStore();
        var schema = new RecordSchema("person", "acm_person.csv", ["cm_person_id"], [1]);
        SourceRecord[] records = [.. Enumerable.Range(1, 4).Select(i => new SourceRecord(schema, $"{i}", [$"{i}"], new SourceLocation("acm_person.csv", i + 1)))];
        var batchPath = RunPaths.Batch("m-1", 2, "person", "2-person-000-0000", retry: false);
        await using (var stream = await store.OpenWriteAsync(batchPath, CancellationToken.None))
        {
            await BatchFile.WriteAsync(stream, records, CancellationToken.None);
            await stream.CommitAsync(CancellationToken.None);
        }

        var outcome = new BatchOutcomeFile("2-person-000-0000", "person", "res.partner", 2, false,
        [
            new("1", "acm_person.csv", 2, "p1", RecordFate.Created, "11", null, false),
            new("2", "acm_person.csv", 3, "p2", RecordFate.Failed, null, "parent missing", true),
            new("3", "acm_person.csv", 4, "p3", RecordFate.Failed, null, "bad email", false),
            new("4", "acm_person.csv", 5, "p4", RecordFate.Failed, null, "parent missing", true),
        ], []);
        await using (var stream = await store.OpenWriteAsync(RunPaths.Outcome("m-1", "m-1", outcome.BatchId), CancellationToken.None))
        {
            await JsonSerializer.SerializeAsync(stream, outcome, JsonDefaults.Options);
            await stream.CommitAsync(CancellationToken.None);
        }

        var plan = await new PlanRetryActivity(store).RunAsync(new ActivityInput(Request, "h"), CancellationToken.None);

        var batch = Assert.Single(Assert.Single(plan.Phases).Batches);
        Assert.True(batch.IsRetry);
        Assert.Equal(2, batch.Records);
        await using var retry = await store.OpenReadAsync(batch.BatchPath, CancellationToken.None);
        var retried = await BatchFile.ReadAsync(retry, CancellationToken.None);
        Assert.Equal(["2", "4"], retried.Select(r => r.SourceId));
        Assert.Equal(5, retried[1].Location.Line);
    }
}
