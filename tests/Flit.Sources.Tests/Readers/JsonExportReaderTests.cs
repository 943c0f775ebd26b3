using Flit.Core.Sources;
using Flit.Sources.Readers;

namespace Flit.Sources.Tests.Readers;

public sealed class JsonExportReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ObjectLayout Case() => new(
        "case",
        ["cases.json"],
        ExportFormat.Json,
        "object_id_s",
        [new ColumnLayout("object_id_s", ValueKind.Text, Required: true), new ColumnLayout("title_parseable", ValueKind.Text, Aliases: ["title"])],
        "A case.");

    [Fact]
    public async Task Read_ArrayOfObjects_FlattensNestedObjectsAndJoinsScalarArrays()
    {
        var path = _folder.WriteUtf8("people.json", "[\n  {\"id\": 1, \"name\": {\"first\": \"Ada\", \"last\": \"Lovelace\"}, \"tags\": [\"vip\", \"uk\"], \"score\": 0.1},\n  {\"id\": \"2\", \"active\": true, \"phones\": [{\"n\": \"+44\"}]}\n]\n");

        var (records, problems) = await TestLayouts.ReadAsync(path, TestLayouts.Person(ExportFormat.Json));

        Assert.Empty(problems.Problems);
        Assert.Equal(2, records.Count);
        Assert.Equal("1", records[0].SourceId);
        Assert.Equal("Ada", records[0]["name.first"]);
        Assert.Equal("vip|uk", records[0]["tags"]);
        Assert.Equal("0.1", records[0]["score"]);
        Assert.Equal("true", records[1]["active"]);
        Assert.Equal("[{\"n\":\"+44\"}]", records[1]["phones"]);
        Assert.Null(records[1]["name.first"]);
        Assert.Equal([2L, 3L], records.Select(r => r.Location.Line));
        Assert.Same(records[0].Schema, records[1].Schema);
    }

    [Fact]
    public async Task Read_SolrResponse_StreamsDocs()
    {
        var path = _folder.WriteUtf8("cases.json", "{\"responseHeader\": {\"status\": 0},\n \"response\": {\"numFound\": 2, \"start\": 0, \"docs\": [\n  {\"object_id_s\": \"100\", \"title\": \"Leak\"},\n  {\"object_id_s\": \"101\", \"create_date_tdt\": \"2014-09-30T14:12:52Z\"}\n ]}}\n");

        var (records, problems) = await TestLayouts.ReadAsync(path, Case());

        Assert.Empty(problems.Problems);
        Assert.Equal(["100", "101"], records.Select(r => r.SourceId));
        Assert.Equal("Leak", records[0]["title_parseable"]);
        Assert.Equal("2014-09-30T14:12:52Z", records[1]["create_date_tdt"]);
        Assert.False(records[0].Schema.Contains("responseHeader.status"));
        Assert.Equal([3L, 4L], records.Select(r => r.Location.Line));
    }

    [Fact]
    public async Task Read_JsonLinesWithMalformedLine_ReportsLineAndColumnAndContinues()
    {
        var path = _folder.WriteUtf8("cases.json", "{\"object_id_s\": \"1\"}\n{\"object_id_s\": \"2\",, \"x\": 1}\n{\"object_id_s\": \"3\"}\n");

        var (records, problems) = await TestLayouts.ReadAsync(path, Case());

        Assert.Equal(["1", "3"], records.Select(r => r.SourceId));
        Assert.Equal([1L, 3L], records.Select(r => r.Location.Line));
        var problem = Assert.Single(problems.Problems);
        Assert.Equal(("cases.json", 2L, 21), (problem.File, problem.Line, problem.Column));
        Assert.StartsWith("Malformed JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_MalformedArray_StopsNamingFileLineColumnAndRecordsReadBefore()
    {
        var path = _folder.WriteUtf8("cases.json", "[\n{\"object_id_s\": \"1\"},\n{\"object_id_s\": 'bad'}\n]");

        var error = await Assert.ThrowsAsync<ExportFormatException>(() => TestLayouts.ReadAsync(path, Case()));

        Assert.Equal(("cases.json", 3L, 17, 1L), (error.File, error.Line, error.Column, error.RecordsRead));
        Assert.StartsWith("cases.json, line 3, column 17: malformed JSON after 1 record: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TruncatedArray_StopsAfterTheRecordsRead()
    {
        var path = _folder.WriteUtf8("cases.json", "[\n{\"object_id_s\": \"1\"},\n{\"object_id_s\": \"2\"},\n{\"object_id_s\": \"3\", \"title\": \"cut her");

        var error = await Assert.ThrowsAsync<ExportFormatException>(() => TestLayouts.ReadAsync(path, Case()));

        Assert.Equal(("cases.json", 2L), (error.File, error.RecordsRead));
        Assert.Equal(4L, error.Line);
        Assert.Contains("after 2 records", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_MissingRequiredProperty_ReportedAsMissingColumn()
    {
        var layout = Case() with { Columns = [.. Case().Columns, new ColumnLayout("status_lcs", ValueKind.Text, Required: true)] };
        var path = _folder.WriteUtf8("cases.json", "[{\"object_id_s\": \"1\"}]");

        var (records, problems) = await TestLayouts.ReadAsync(path, layout);

        Assert.Single(records);
        var problem = Assert.Single(problems.Problems);
        Assert.Equal(ReadProblemKind.MissingRequiredColumn, problem.Kind);
        Assert.Contains("'status_lcs'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_LargeArrayAcrossManyBufferRefills_LinesStayExact()
    {
        // Far more than the 64 KiB buffer, with a token split at arbitrary places by the refills.
        var builder = new System.Text.StringBuilder("[\n");
        for (var i = 0; i < 5000; i++)
        {
            builder.Append("{\"object_id_s\": \"").Append(i).Append("\", \"title\": \"").Append(new string('x', i % 50)).Append("\"}");
            builder.Append(i < 4999 ? ",\n" : "\n");
        }

        var path = _folder.WriteUtf8("cases.json", builder.Append(']').ToString());

        var (records, problems) = await TestLayouts.ReadAsync(path, Case());

        Assert.Empty(problems.Problems);
        Assert.Equal(5000, records.Count);
        Assert.Equal(5001L, records[^1].Location.Line);
        Assert.Equal("4999", records[^1].SourceId);
    }

    [Fact]
    public async Task Read_Utf16Json_Decoded()
    {
        byte[] bytes = [0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes("[{\"object_id_s\": \"1\", \"title\": \"Café\"}]")];
        var path = _folder.Write("cases.json", bytes);

        var (records, _) = await TestLayouts.ReadAsync(path, Case());

        Assert.Equal("Café", Assert.Single(records)["title_parseable"]);
    }
}
