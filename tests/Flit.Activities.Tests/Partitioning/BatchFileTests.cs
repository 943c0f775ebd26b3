using Flit.Activities.Partitioning;
using Flit.Core.Records;

namespace Flit.Activities.Tests.Partitioning;

public sealed class BatchFileTests
{
    [Fact]
    public async Task ReadAsync_AfterWrite_KeepsIdsValuesNullsAndLocations()
    {
        var schema = new RecordSchema("note", "acm_note.csv", ["cm_note_id", "cm_note_text"], [1, 3]);
        SourceRecord[] records =
        [
            new(schema, "7", ["7", "multi\nline \"quoted\" 😀"], new SourceLocation("acm_note.csv", 2)),
            new(schema, "8", ["8", null], new SourceLocation("acm_note.csv", 5)),
        ];
        using var stream = new MemoryStream();

        await BatchFile.WriteAsync(stream, records, CancellationToken.None);
        stream.Position = 0;
        var read = await BatchFile.ReadAsync(stream, CancellationToken.None);

        Assert.Equal(2, read.Count);
        Assert.Equal("multi\nline \"quoted\" 😀", read[0]["cm_note_text"]);
        Assert.Null(read[1]["cm_note_text"]);
        Assert.Equal("acm_note.csv, line 5, column 3", read[1].Where("cm_note_text"));
        Assert.Same(read[0].Schema, read[1].Schema);
    }

    [Fact]
    public async Task ReadAsync_AfterWriteOfTwoSchemasAndMoreThanABuffer_KeepsEveryRecordWithItsOwnSchema()
    {
        var notes = new RecordSchema("note", "notes.csv", ["id", "body"], [1, 2]);
        var joined = new RecordSchema("note", "notes-2024.csv", ["id", "body", "extra"], [1, 2, 4]);
        var records = Enumerable.Range(0, 3_000)
            .Select(i => i < 1_500
                ? new SourceRecord(notes, $"N{i}", [$"N{i}", new string('x', 40) + i], new SourceLocation("notes.csv", i + 2))
                : new SourceRecord(joined, $"N{i}", [$"N{i}", "ünïcode", null], new SourceLocation("notes-2024.csv", i + 2)))
            .ToList();
        using var stream = new MemoryStream();

        await BatchFile.WriteAsync(stream, records, CancellationToken.None);
        stream.Position = 0;
        var read = await BatchFile.ReadAsync(stream, CancellationToken.None);

        Assert.Equal(records.Select(r => (r.SourceId, r.Schema.File, r.Location, string.Join('|', r.Values))), read.Select(r => (r.SourceId, r.Schema.File, r.Location, string.Join('|', r.Values))));
        Assert.Equal(["id", "body", "extra"], read[^1].Schema.Columns);
    }

    [Fact]
    public async Task ReadAsync_ARecordBeforeAnyHeader_SaysWhichLine()
    {
        using var stream = new MemoryStream("{\"id\":\"1\",\"file\":\"a.csv\",\"line\":2,\"values\":[\"1\"]}\n"u8.ToArray());

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => BatchFile.ReadAsync(stream, CancellationToken.None));

        Assert.Equal("Batch line 1: a record comes before any schema header.", error.Message);
    }
}
