using Flit.Activities.Partitioning;
using Flit.Core.Records;
using Flit.Core.Workflow;

namespace Flit.Activities.Tests.Partitioning;

public sealed class BatchWriterTests
{
    private static readonly MigrationRequest Request = new("m-1", "acme", "oncourse-odoo", "drop", RunMode.Full, BatchSize: 50);
    private static readonly RecordSchema Contacts = new("contact", "contacts.csv", ["id", "company"], [1, 2]);

    private static async Task<List<(BatchWork Batch, IReadOnlyList<SourceRecord> Records)>> WriteAsync(InMemoryStagingStore store, IEnumerable<SourceRecord> records, long budget)
    {
        var writer = new BatchWriter(store, Request, new BatchTarget("contact", "res.partner", 2, "contact", false, "company"), budget);
        foreach (var record in records)
        {
            await writer.AddAsync(record, CancellationToken.None);
        }

        var written = new List<(BatchWork, IReadOnlyList<SourceRecord>)>();
        foreach (var batch in await writer.CompleteAsync(CancellationToken.None))
        {
            await using var stream = await store.OpenReadAsync(batch.BatchPath, CancellationToken.None);
            written.Add((batch, await BatchFile.ReadAsync(stream, CancellationToken.None)));
        }

        return written;
    }

    private static IEnumerable<SourceRecord> People(int count, int companies) =>
        Enumerable.Range(0, count).Select(i => new SourceRecord(Contacts, $"P{i}", [$"P{i}", $"C{i % companies}"], new SourceLocation("contacts.csv", i + 2)));

    [Fact]
    public async Task AddAsync_MoreRowsThanTheBudgetHolds_WritesEveryRowOnceInBatchesNoLargerThanABatch()
    {
        var store = new InMemoryStagingStore();

        var written = await WriteAsync(store, People(20_000, 3_000), budget: 64 * 1024);

        var ids = written.SelectMany(w => w.Records.Select(r => r.SourceId)).ToList();
        Assert.Equal(20_000, ids.Count);
        Assert.Equal(20_000, ids.Distinct().Count());
        Assert.All(written, w => Assert.Equal(w.Batch.Records, w.Records.Count));
        Assert.All(written, w => Assert.InRange(w.Records.Count, 1, Request.BatchSize * BatchWriter.RecordsPerActivityInCalls));
        Assert.Equal(People(20_000, 3_000).Select(p => p.Location.Line).Order(), written.SelectMany(w => w.Records.Select(r => r.Location.Line)).Order());
    }

    [Fact]
    public async Task AddAsync_WithinTheBudget_KeepsEveryCompanysContactsInOneBatch()
    {
        var store = new InMemoryStagingStore();

        var written = await WriteAsync(store, People(2_000, 300), budget: BatchWriter.BufferedBytes);

        var batchesPerCompany = written
            .SelectMany(w => w.Records.Select(r => (Company: r["company"], w.Batch.BatchId)))
            .GroupBy(x => x.Company)
            .Select(g => g.Select(x => x.BatchId).Distinct().Count());
        Assert.All(batchesPerCompany, n => Assert.Equal(1, n));
    }
}
