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
}
