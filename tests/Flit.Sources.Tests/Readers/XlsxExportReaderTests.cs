using System.IO.Compression;
using System.Text;
using Flit.Core.Sources;
using Flit.Sources.Readers;

namespace Flit.Sources.Tests.Readers;

public sealed class XlsxExportReaderTests : IDisposable
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A minimal SpreadsheetML package written by hand: one or more sheets, shared strings, two date styles.</summary>
    private string WriteXlsx(string name, string[] sharedStrings, params (string Name, string Rows)[] sheets)
    {
        var path = Path.Combine(_folder.Path, name);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            var overrides = string.Concat(sheets.Select((_, i) => $"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"));
            Add(zip, "[Content_Types].xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>{overrides}<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>");
            Add(zip, "_rels/.rels", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{Rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            var sheetList = string.Concat(sheets.Select((s, i) => $"<sheet name=\"{s.Name}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>"));
            Add(zip, "xl/workbook.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{Main}\" xmlns:r=\"{Rel}\"><sheets>{sheetList}</sheets></workbook>");
            var sheetRels = string.Concat(sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"{Rel}/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"));
            Add(zip, "xl/_rels/workbook.xml.rels", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{sheetRels}<Relationship Id=\"rIdS\" Type=\"{Rel}/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdT\" Type=\"{Rel}/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>");
            Add(zip, "xl/styles.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"{Main}\"><cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/><xf numFmtId=\"22\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>");
            Add(zip, "xl/sharedStrings.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{Main}\" count=\"{sharedStrings.Length}\">{string.Concat(sharedStrings.Select(s => $"<si><t>{s}</t></si>"))}</sst>");
            for (var i = 0; i < sheets.Length; i++)
            {
                Add(zip, $"xl/worksheets/sheet{i + 1}.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{Main}\"><sheetData>{sheets[i].Rows}</sheetData></worksheet>");
            }
        }

        return path;
    }

    private static void Add(ZipArchive zip, string name, string xml)
    {
        using var stream = zip.CreateEntry(name).Open();
        var bytes = Encoding.UTF8.GetBytes(xml);
        stream.Write(bytes);
    }

    [Fact]
    public async Task Read_Worksheet_HeaderIsFirstNonEmptyRowAndValuesAreTextAsShown()
    {
        string[] strings = ["Person ID", "first_name", "Amount", "Born", "Postcode", "Updated", "Ada", "01234", "Alan"];
        const string rows =
            "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" t=\"s\"><v>1</v></c><c r=\"C2\" t=\"s\"><v>2</v></c><c r=\"D2\" t=\"s\"><v>3</v></c><c r=\"E2\" t=\"s\"><v>4</v></c><c r=\"F2\" t=\"s\"><v>5</v></c></row>" +
            "<row r=\"3\"><c r=\"A3\"><v>101</v></c><c r=\"B3\" t=\"s\"><v>6</v></c><c r=\"C3\"><v>0.1</v></c><c r=\"D3\" s=\"1\"><v>45000</v></c><c r=\"E3\" t=\"s\"><v>7</v></c><c r=\"F3\" s=\"2\"><v>45000.5</v></c></row>" +
            "<row r=\"5\"><c r=\"A5\"><v>102</v></c><c r=\"B5\" t=\"s\"><v>8</v></c><c r=\"C5\"><v>0.30000000000000004</v></c><c r=\"E5\"><v>3</v></c></row>";
        var path = WriteXlsx("people.xlsx", strings, ("Sheet1", rows));

        var (records, problems) = await TestLayouts.ReadAsync(path, TestLayouts.Person(ExportFormat.Xlsx));

        Assert.Empty(problems.Problems);
        Assert.Equal(["Person ID", "First Name", "Amount", "Born", "Postcode", "Updated"], records[0].Schema.Columns);
        Assert.Equal(["101", "102"], records.Select(r => r.SourceId));
        Assert.Equal([3L, 5L], records.Select(r => r.Location.Line));
        Assert.Equal("Ada", records[0]["First Name"]);
        Assert.Equal("0.1", records[0]["Amount"]);
        Assert.Equal("2023-03-15", records[0]["Born"]);
        Assert.Equal("01234", records[0]["Postcode"]);
        Assert.Equal("2023-03-15T12:00:00", records[0]["Updated"]);
        Assert.Equal("0.3", records[1]["Amount"]);
        Assert.Equal("3", records[1]["Postcode"]);
    }

    [Fact]
    public async Task Read_SheetNamedAfterObject_PreferredOverFirstSheet()
    {
        string[] strings = ["Readme", "Person ID", "Ada"];
        var path = WriteXlsx(
            "people.xlsx",
            strings,
            ("Notes", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"),
            ("Person", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c></row>"));

        var (records, _) = await TestLayouts.ReadAsync(path, TestLayouts.Person(ExportFormat.Xlsx));

        Assert.Equal("Ada", Assert.Single(records).SourceId);
    }

    private string PeopleWorkbook(int rows)
    {
        var body = string.Concat(Enumerable.Range(2, rows).Select(r => $"<row r=\"{r}\"><c r=\"A{r}\"><v>{r}</v></c><c r=\"B{r}\" t=\"s\"><v>1</v></c></row>"));
        return WriteXlsx("people.xlsx", ["Person ID", "Ada"], ("Person", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>" + body));
    }

    [Fact]
    public async Task Read_TruncatedWorkbook_RefusedNamingTheFile()
    {
        var path = PeopleWorkbook(50);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = await Assert.ThrowsAsync<ExportFormatException>(() => TestLayouts.ReadAsync(path, TestLayouts.Person(ExportFormat.Xlsx)));

        Assert.Equal("people.xlsx", error.File);
        Assert.StartsWith("people.xlsx", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Theory]
    [InlineData("zip signature then rubbish")]
    [InlineData("zip without a workbook")]
    [InlineData("sheet XML cut short")]
    [InlineData("compound document signature then rubbish")]
    public async Task Read_DamagedWorkbook_RefusedNamingTheFile(string damage)
    {
        var path = Path.Combine(_folder.Path, "people.xlsx");
        switch (damage)
        {
            case "zip signature then rubbish":
                File.WriteAllBytes(path, [.. "PK\u0003\u0004"u8, .. Enumerable.Range(0, 600).Select(i => (byte)(i * 7))]);
                break;
            case "zip without a workbook":
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
                {
                    Add(zip, "hello.txt", "not a workbook");
                }

                break;
            case "sheet XML cut short":
                WriteXlsx("people.xlsx", ["Person ID", "Ada"], ("Person", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row><row r=\"3\"><c r=\"A3\"><v>3</v>"));
                break;
            default:
                File.WriteAllBytes(path, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. Enumerable.Range(0, 600).Select(i => (byte)(i * 13))]);
                break;
        }

        var error = await Assert.ThrowsAsync<ExportFormatException>(() => TestLayouts.ReadAsync(path, TestLayouts.Person(ExportFormat.Xlsx)));

        Assert.Equal("people.xlsx", error.File);
        Assert.StartsWith("people.xlsx", error.Message, StringComparison.Ordinal);
        Assert.Contains("save it again as .xlsx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_BinaryFileNamedXlsx_RefusedAsNotAWorkbook()
    {
        var path = _folder.Write("people.xlsx", [.. Enumerable.Range(0, 300).Select(i => (byte)(i % 32))]);

        var error = await Assert.ThrowsAsync<ExportFormatException>(() => TestLayouts.ReadAsync(path, TestLayouts.Person(ExportFormat.Xlsx)));

        Assert.StartsWith("people.xlsx is not a readable Excel workbook", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ForwardOnlyStream_SpoolsToATempFileThatIsGoneAfterReading()
    {
        var path = PeopleWorkbook(20);
        using var spool = new TempFolder();
        var seenWhileReading = new List<int>();

        var records = 0;
        await foreach (var record in XlsxExportReader.ReadAsync(TestLayouts.ForwardOnly(path), TestLayouts.Person(ExportFormat.Xlsx), new ReadProblemCollector(), spool.Path, CancellationToken.None))
        {
            seenWhileReading.Add(Directory.GetFiles(spool.Path).Length);
            records++;
        }

        Assert.Equal(20, records);
        Assert.All(seenWhileReading, count => Assert.Equal(1, count));
        Assert.Empty(Directory.GetFiles(spool.Path));
    }

    [Fact]
    public async Task Read_ForwardOnlyStreamAbandonedOrDamaged_TempFileGone()
    {
        var path = PeopleWorkbook(20);
        var damaged = _folder.Write("damaged.xlsx", [.. "PK\u0003\u0004"u8, .. Enumerable.Range(0, 600).Select(i => (byte)(i * 7))]);
        using var spool = new TempFolder();
        var layout = TestLayouts.Person(ExportFormat.Xlsx);

        var first = await XlsxExportReader.ReadAsync(TestLayouts.ForwardOnly(path), layout, new ReadProblemCollector(), spool.Path, CancellationToken.None).Take(2).ToListAsync();
        await Assert.ThrowsAsync<ExportFormatException>(async () =>
            await XlsxExportReader.ReadAsync(TestLayouts.ForwardOnly(damaged), layout, new ReadProblemCollector(), spool.Path, CancellationToken.None).ToListAsync());

        Assert.Equal(2, first.Count);
        Assert.Empty(Directory.GetFiles(spool.Path));
    }

    [Fact]
    public async Task Read_SeekableStream_ReadInPlaceWithoutSpooling()
    {
        var path = PeopleWorkbook(5);
        using var spool = new TempFolder();

        var records = await XlsxExportReader.ReadAsync(ExportFile.Local(path), TestLayouts.Person(ExportFormat.Xlsx), new ReadProblemCollector(), spool.Path, CancellationToken.None)
            .Select(_ => Directory.GetFiles(spool.Path).Length).ToListAsync();

        Assert.Equal([0, 0, 0, 0, 0], records);
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(5.0, "5")]
    [InlineData(447700900123.0, "447700900123")]
    [InlineData(1234567890123456789.0, "1234567890123460000")]
    [InlineData(-2.5, "-2.5")]
    public void FormatNumber_Double_InvariantWithoutNoise(double value, string expected) =>
        Assert.Equal(expected, XlsxExportReader.FormatNumber(value));
}
