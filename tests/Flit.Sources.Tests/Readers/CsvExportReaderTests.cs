using System.Text;
using Flit.Core.Sources;
using Flit.Sources.Readers;

namespace Flit.Sources.Tests.Readers;

public sealed class CsvExportReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Read_CommaFile_ReturnsRecordsWithCanonicalColumnsAndLines()
    {
        var path = _folder.WriteUtf8("people.csv", "Person ID,First Name,Last Name,Email\n1,Ada,Lovelace,ada@example.com\n2,Alan,Turing,alan@example.com\n");

        var (records, problems) = await TestLayouts.ReadAsync(path);

        Assert.Empty(problems.Problems);
        Assert.Equal(2, records.Count);
        Assert.Equal("1", records[0].SourceId);
        Assert.Equal("Ada", records[0]["First Name"]);
        Assert.Equal("alan@example.com", records[1]["Email"]);
        Assert.Equal(new Flit.Core.Records.SourceLocation("people.csv", 2), records[0].Location);
        Assert.Equal(3, records[1].Location.Line);
        Assert.Equal([1, 2, 3, 4], records[0].Schema.SourceColumnNumbers);
    }

    [Theory]
    [InlineData(";")]
    [InlineData("\t")]
    public async Task Read_OtherDelimiter_DetectedFromHeader(string delimiter)
    {
        var path = _folder.WriteUtf8("people.csv", $"Person ID{delimiter}First Name{delimiter}Notes\n7{delimiter}Zoë{delimiter}\"a, b\"\n");

        var (records, problems) = await TestLayouts.ReadAsync(path);

        Assert.Empty(problems.Problems);
        var record = Assert.Single(records);
        Assert.Equal("Zoë", record["First Name"]);
        Assert.Equal("a, b", record["Notes"]);
    }

    [Fact]
    public async Task Read_DelimiterInsideQuotedHeader_IsNotCounted()
    {
        // Three semicolons inside quotes, two real commas: the header is comma-separated.
        var path = _folder.WriteUtf8("people.csv", "\"Person;ID;x;y\",Person ID,Notes\na,1,n\n");

        var (records, _) = await TestLayouts.ReadAsync(path);

        var record = Assert.Single(records);
        Assert.Equal("1", record.SourceId);
        Assert.Equal("a", record["Person;ID;x;y"]);
    }

    [Fact]
    public async Task Read_MultiLineQuotedNotes_KeepsStartLineOfEachRecord()
    {
        var text = "Person ID,Notes,Email\r\n" +
                   "1,\"first line\r\nsecond, with comma\nthird \"\"quoted\"\"\",a@x.org\r\n" +
                   "\r\n" +
                   "2,plain,b@x.org\n" +
                   "3,\"x\ny\",c@x.org\n";
        var path = _folder.WriteUtf8("people.csv", text);

        var (records, problems) = await TestLayouts.ReadAsync(path);

        Assert.Empty(problems.Problems);
        Assert.Equal([2L, 6L, 7L], records.Select(r => r.Location.Line));
        Assert.Equal("first line\r\nsecond, with comma\nthird \"quoted\"", records[0]["Notes"]);
        Assert.Equal("x\ny", records[2]["Notes"]);
    }

    [Fact]
    public async Task Read_Utf8WithBom_HeaderMatchesAndNoBomInValues()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("Person ID,First Name\n1,Jürgen\n")).ToArray();
        var path = _folder.Write("people.csv", bytes);

        var (records, _) = await TestLayouts.ReadAsync(path);

        Assert.Equal("Jürgen", Assert.Single(records)["First Name"]);
        Assert.Equal("Person ID", records[0].Schema.Columns[0]);
    }

    [Fact]
    public async Task Read_Utf16LittleEndianWithBom_Decoded()
    {
        var bytes = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes("Person ID;First Name\r\n1;Łukasz\r\n2;李\r\n")).ToArray();
        var path = _folder.Write("people.csv", bytes);

        var (records, problems) = await TestLayouts.ReadAsync(path);

        Assert.Empty(problems.Problems);
        Assert.Equal(["Łukasz", "李"], records.Select(r => r["First Name"]));
        Assert.Equal(3, records[1].Location.Line);
    }

    [Fact]
    public async Task Read_Utf16BigEndianWithBom_Decoded()
    {
        var bytes = new byte[] { 0xFE, 0xFF }.Concat(Encoding.BigEndianUnicode.GetBytes("Person ID\tFirst Name\n1\tÉmile\n")).ToArray();
        var path = _folder.Write("people.csv", bytes);

        var (records, _) = await TestLayouts.ReadAsync(path);

        Assert.Equal("Émile", Assert.Single(records)["First Name"]);
    }

    [Fact]
    public async Task Read_Windows1252Bytes_DecodedAsWindows1252()
    {
        // "Person ID,First Name\n1,Ren\xE9\n2,\x80uro\n": 0xE9 is é and 0x80 is € in Windows-1252, invalid alone in UTF-8.
        byte[] bytes = [.. "Person ID,First Name\n1,Ren"u8, 0xE9, .. "\n2,"u8, 0x80, .. "uro\n"u8];
        var path = _folder.Write("people.csv", bytes);

        var (records, _) = await TestLayouts.ReadAsync(path);

        Assert.Equal(["René", "€uro"], records.Select(r => r["First Name"]));
    }

    [Fact]
    public async Task Read_Windows1252ByteAfterFirstChunk_StillDetected()
    {
        // The only non-ASCII byte sits far past the first 64 KiB, so a first-kilobytes guess would pick UTF-8.
        var builder = new StringBuilder("Person ID,First Name\n");
        for (var i = 0; i < 5000; i++)
        {
            builder.Append(i).Append(",Name").Append(i).Append('\n');
        }

        byte[] bytes = [.. Encoding.ASCII.GetBytes(builder.ToString()), .. "9999,Andr"u8, 0xE9, (byte)'\n'];
        var path = _folder.Write("people.csv", bytes);

        var (records, _) = await TestLayouts.ReadAsync(path);

        Assert.Equal("André", records[^1]["First Name"]);
    }

    [Fact]
    public async Task Read_HeaderVariants_MapToDocumentedNames()
    {
        var path = _folder.WriteUtf8("people.csv", "person_id, first-name ,LAST NAME,E-mail,Favourite Colour\n1,Ada,Lovelace,a@x.org,green\n");

        var (records, problems) = await TestLayouts.ReadAsync(path);

        Assert.Empty(problems.Problems);
        Assert.Equal(["Person ID", "First Name", "Last Name", "Email", "Favourite Colour"], records[0].Schema.Columns);
        Assert.Equal("green", records[0]["Favourite Colour"]);
    }

    [Fact]
    public async Task Read_DuplicateHeader_ReportedAndSuffixed()
    {
        var path = _folder.WriteUtf8("people.csv", "Person ID,Email,EMAIL\n1,a@x.org,b@x.org\n");

        var (records, problems) = await TestLayouts.ReadAsync(path);

        var problem = Assert.Single(problems.Problems);
        Assert.Equal(new ReadProblem("people.csv", 1, 3, problem.Message), problem);
        Assert.Contains("Email (2)", problem.Message, StringComparison.Ordinal);
        Assert.Equal("b@x.org", records[0]["Email (2)"]);
        Assert.Equal("a@x.org", records[0]["Email"]);
    }

    [Fact]
    public async Task Read_MissingKeyColumn_ThrowsNamingFileAndAcceptedNames()
    {
        var path = _folder.WriteUtf8("people.csv", "First Name,Email\nAda,a@x.org\n");

        var error = await Assert.ThrowsAsync<ExportLayoutException>(() => TestLayouts.ReadAsync(path));

        Assert.Equal(("people.csv", 1L), (error.File, error.Line));
        Assert.Contains("'Person ID', 'cm_person_id', 'id'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("people.csv, line 1: the key column of 'person' is missing.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_MissingRequiredColumn_ReportedOnTheHeaderLineAndRecordsStillRead()
    {
        var layout = TestLayouts.Person() with { Columns = [.. TestLayouts.Person().Columns.Select(c => c.Name == "Email" ? c with { Required = true, Aliases = ["E-mail"] } : c)] };
        var path = _folder.WriteUtf8("people.csv", "\nPerson ID,First Name\n1,Ada\n");

        var (records, problems) = await TestLayouts.ReadAsync(path, layout);

        Assert.Equal(["1"], records.Select(r => r.SourceId));
        var problem = Assert.Single(problems.Problems);
        Assert.Equal(("people.csv", 2L, 0, ReadProblemKind.MissingRequiredColumn), (problem.File, problem.Line, problem.Column, problem.Kind));
        Assert.Contains("The required column 'Email' of 'person' is missing", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'Email', 'E-mail'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_EmptyKey_ReportedAndKeptWithLineId()
    {
        var path = _folder.WriteUtf8("people.csv", "Person ID,First Name\n1,Ada\n  ,Nobody\n");

        var (records, problems) = await TestLayouts.ReadAsync(path);

        Assert.Equal(["1", "line:3"], records.Select(r => r.SourceId));
        var problem = Assert.Single(problems.Problems);
        Assert.Equal((3L, 1), (problem.Line, problem.Column));
    }

    [Fact]
    public async Task Read_TrailingEmptyColumnsAndBlankLines_Ignored()
    {
        var path = _folder.WriteUtf8("people.csv", "Person ID,First Name,,\n\n1,Ada,,\n,,,\n   \n2,Alan\n");

        var (records, problems) = await TestLayouts.ReadAsync(path);

        Assert.Empty(problems.Problems);
        Assert.Equal(["1", "2"], records.Select(r => r.SourceId));
        Assert.Equal(2, records[0].Schema.Columns.Count);
    }

    [Fact]
    public async Task Read_RaggedRows_ReportedWithLineAndColumnAndSkipped()
    {
        var path = _folder.WriteUtf8("people.csv", "Person ID,First Name,Email\n1,Ada,a@x.org\n2,Too,many,fields\n3,Short\n4,Alan,t@x.org\n");

        var (records, problems) = await TestLayouts.ReadAsync(path);

        Assert.Equal(["1", "4"], records.Select(r => r.SourceId));
        Assert.Equal(2, problems.Problems.Count);
        Assert.Equal((3L, 4), (problems.Problems[0].Line, problems.Problems[0].Column));
        Assert.Contains("Expected 3 fields", problems.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal((4L, 3), (problems.Problems[1].Line, problems.Problems[1].Column));
    }

    [Fact]
    public async Task Read_TextAfterClosingQuote_ReportedAndReadingContinues()
    {
        var path = _folder.WriteUtf8("people.csv", "Person ID,First Name,Email\n1,\"Ada\"x,a@x.org\n2,Alan,t@x.org\n");

        var (records, problems) = await TestLayouts.ReadAsync(path);

        Assert.Equal(["2"], records.Select(r => r.SourceId));
        var problem = Assert.Single(problems.Problems);
        Assert.Equal(("people.csv", 2L, 2), (problem.File, problem.Line, problem.Column));
    }

    [Fact]
    public async Task Read_UnterminatedQuote_ReportedAndFollowingLinesStillRead()
    {
        var path = _folder.WriteUtf8("people.csv", "Person ID,First Name,Notes\n1,Ada,ok\n2,Bob,\"never closed\n3,Cy,fine\r\n4,Di,plain\n");

        var (records, problems) = await TestLayouts.ReadAsync(path);

        var problem = Assert.Single(problems.Problems);
        Assert.Equal((3L, 3), (problem.Line, problem.Column));
        Assert.Contains("never closed", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["1", "3", "4"], records.Select(r => r.SourceId));
        Assert.Equal([2L, 4L, 5L], records.Select(r => r.Location.Line));
        Assert.Equal("plain", records[2]["Notes"]);
    }

    [Fact]
    public async Task Read_StrayQuoteInUnquotedField_KeptAsText()
    {
        var path = _folder.WriteUtf8("people.csv", "Person ID,Notes\n1,5'10\" tall\n");

        var (records, problems) = await TestLayouts.ReadAsync(path);

        Assert.Empty(problems.Problems);
        Assert.Equal("5'10\" tall", Assert.Single(records)["Notes"]);
    }

    [Fact]
    public async Task Read_ExcelSepHint_UsedAndSkipped()
    {
        var path = _folder.WriteUtf8("people.csv", "sep=;\nPerson ID;Notes\n1;a,b\n");

        var (records, _) = await TestLayouts.ReadAsync(path);

        var record = Assert.Single(records);
        Assert.Equal("a,b", record["Notes"]);
        Assert.Equal(3, record.Location.Line);
    }

    [Fact]
    public async Task Read_CancelledToken_Throws()
    {
        var path = _folder.WriteUtf8("people.csv", "Person ID\n1\n2\n");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ExportReader.ReadAsync(path, TestLayouts.Person(), new ReadProblemCollector(), cancelled.Token).ToListAsync());
    }

    [Fact]
    public async Task Read_CsvExtensionHoldingJson_ReadAsJson()
    {
        var path = _folder.WriteUtf8("people.csv", "[{\"id\": 5, \"given name\": \"Ada\"}]");

        var (records, _) = await TestLayouts.ReadAsync(path);

        Assert.Equal("Ada", Assert.Single(records)["First Name"]);
        Assert.Equal("5", records[0].SourceId);
    }

    [Fact]
    public async Task Read_IsLazy_NothingReadBeforeEnumeration()
    {
        var path = _folder.WriteUtf8("people.csv", "First Name\nAda\n");

        var records = ExportReader.ReadAsync(path, TestLayouts.Person(), new ReadProblemCollector());

        // The missing key column is only found when enumeration starts.
        await Assert.ThrowsAsync<ExportLayoutException>(async () => await records.FirstAsync());
    }
}
