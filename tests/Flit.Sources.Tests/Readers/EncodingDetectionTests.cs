using System.Text;
using Flit.Sources.Readers;

namespace Flit.Sources.Tests.Readers;

/// <summary>
/// Every encoding exports come in, written by .NET's own encoders: detected and read exactly, or refused with the
/// file's name and position when they cannot be told apart from rubbish.
/// </summary>
public sealed class EncodingDetectionTests : IDisposable
{
    private const string Unicode = "Person ID;First Name\r\n1;Łukasz\r\n2;李娜\r\n3;Zoë 👍\r\n";

    private readonly TempFolder _folder = new();

    static EncodingDetectionTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public void Dispose() => _folder.Dispose();

    private static Encoding Named(string name) => name switch
    {
        "utf-8" => new UTF8Encoding(true),
        "utf-16LE" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
        "utf-16BE" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
        "utf-32LE" => new UTF32Encoding(bigEndian: false, byteOrderMark: true),
        "utf-32BE" => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
        _ => Encoding.GetEncoding(name),
    };

    private string Write(string text, Encoding encoding, bool bom, string name = "people.csv") =>
        _folder.Write(name, [.. bom ? encoding.GetPreamble() : [], .. encoding.GetBytes(text)]);

    private static Task<List<string?>> FirstNamesAsync(string path, Encoding? declared = null) =>
        ExportReader.ReadAsync(TestLayouts.ForwardOnly(path), TestLayouts.Person(), new ReadProblemCollector(), declared).Select(r => r["First Name"]).ToListAsync().AsTask();

    [Theory]
    [InlineData("utf-8", true)]
    [InlineData("utf-8", false)]
    [InlineData("utf-16LE", true)]
    [InlineData("utf-16LE", false)]
    [InlineData("utf-16BE", true)]
    [InlineData("utf-16BE", false)]
    [InlineData("utf-32LE", true)]
    [InlineData("utf-32LE", false)]
    [InlineData("utf-32BE", true)]
    [InlineData("utf-32BE", false)]
    public async Task Read_UnicodeEncodingWithOrWithoutBom_DecodedExactly(string encoding, bool bom)
    {
        var path = Write(Unicode, Named(encoding), bom);

        var (records, problems) = await TestLayouts.ReadAsync(path);

        Assert.Empty(problems.Problems);
        Assert.Equal(["Łukasz", "李娜", "Zoë 👍"], records.Select(r => r["First Name"]));
        Assert.Equal([2L, 3L, 4L], records.Select(r => r.Location.Line));
    }

    [Theory]
    [InlineData("utf-16LE")]
    [InlineData("utf-32BE")]
    public async Task Read_JsonInWideEncodingWithoutBom_RecognisedAsJson(string encoding)
    {
        var path = Write("[{\"Person ID\": \"7\", \"First Name\": \"Émile\"}]", Named(encoding), bom: false, "people.csv");

        Assert.Equal(["Émile"], await FirstNamesAsync(path));
    }

    [Theory]
    [InlineData("1;René\r\n2;€uro\r\n3;Jürgen Müller, Straße 5, ÄÖÜ\r\n")]
    [InlineData("1;Thérèse\r\n2;l’été « très » beau, “Ça va”\r\n3;col·lecció\r\n")]
    [InlineData("1;João Conceição\r\n2;Soluções Comunicações\r\n3;Informações Ltda\r\n")]
    public async Task Read_Windows1252WesternText_DecodedAsWindows1252(string rows)
    {
        var path = Write("Person ID;First Name\r\n" + rows, Encoding.GetEncoding(1252), bom: false);

        Assert.Equal(Values(rows), await FirstNamesAsync(path));
    }

    private static List<string?> Values(string rows) =>
        [.. rows.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split(';')[1])];

    [Theory]
    [InlineData("shift_jis", "1;山田太郎\r\n2;佐藤花子\r\n3;メール\r\n")]
    [InlineData("euc-kr", "1;김민준\r\n2;이서연\r\n")]
    [InlineData("gbk", "1;王小明\r\n2;李娜\r\n")]
    public async Task Read_DoubleByteEncodingWithoutEncodingNamed_RefusedNamingTheFileAndTheEncoding(string encoding, string rows)
    {
        var path = Write("Person ID;First Name\r\n" + rows, Encoding.GetEncoding(encoding), bom: false);

        var error = await Assert.ThrowsAsync<ExportEncodingException>(() => FirstNamesAsync(path));

        Assert.Equal("people.csv", error.File);
        Assert.Equal(2, error.Line);
        Assert.StartsWith("people.csv, line 2, column ", error.Message, StringComparison.Ordinal);
        Assert.Contains("looks like a double-byte encoding", error.Message, StringComparison.Ordinal);
        Assert.Contains(encoding, error.Message, StringComparison.Ordinal);
        Assert.Contains("--encoding", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Shift_JIS", "shift_jis", "1;山田太郎\r\n2;佐藤花子\r\n3;メール\r\n")]
    [InlineData("EUC-KR", "euc-kr", "1;김민준\r\n2;이서연\r\n")]
    [InlineData("ISO-8859-2", "iso-8859-2", "1;Łukasz Żółć\r\n2;Ágnes Kovács\r\n")]
    [InlineData("windows-1251", "windows-1251", "1;Анна Смирнова\r\n2;Дмитрий Иванов\r\n")]
    public async Task Read_EncodingNamed_DecodedExactly(string named, string writtenWith, string rows)
    {
        var path = Write("Person ID;First Name\r\n" + rows, Encoding.GetEncoding(writtenWith), bom: false);

        var names = await FirstNamesAsync(path, ExportEncodings.Resolve(named));

        Assert.Equal(Values(rows), names);
    }

    [Fact]
    public async Task Read_CyrillicCodePageWithoutEncodingNamed_RefusedAsAnotherCodePage()
    {
        var path = Write("Person ID;First Name\r\n1;Анна Смирнова\r\n2;Дмитрий Иванов\r\n3;Ольга Петрова\r\n", Encoding.GetEncoding(1251), bom: false);

        var error = await Assert.ThrowsAsync<ExportEncodingException>(() => FirstNamesAsync(path));

        Assert.Contains("another single-byte code page", error.Message, StringComparison.Ordinal);
        Assert.Contains("windows-1251", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1;Ada\r\n2;Al\u0001an\r\n", 2, 5, "U+0001")]
    [InlineData("1;Ada\r\n2;Alan\u0000\r\n", 2, 7, "U+0000")]
    [InlineData("1;Ada\u001B[31m\r\n", 1, 6, "U+001B")]
    public async Task Read_Utf8WithControlCharacter_RefusedWithItsPosition(string rows, long line, int column, string code)
    {
        var path = Write("Person ID;First Name\r\n" + rows, new UTF8Encoding(false), bom: false);

        var error = await Assert.ThrowsAsync<ExportEncodingException>(() => FirstNamesAsync(path));

        Assert.Equal((line + 1, column), (error.Line, error.Column));
        Assert.StartsWith($"people.csv, line {line + 1}, column {column}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Windows1252UndefinedByte_RefusedAsControlCharacter()
    {
        // 0x81 has no character in Windows-1252; the rest of the file is plain Western text.
        byte[] bytes = [.. "Person ID;First Name\r\n1;Ren"u8, 0xE9, .. "\r\n2;A"u8, 0x81, .. "b\r\n"u8];
        var path = _folder.Write("people.csv", bytes);

        var error = await Assert.ThrowsAsync<ExportEncodingException>(() => FirstNamesAsync(path));

        Assert.Equal((3L, 4), (error.Line, error.Column));
        Assert.Contains("U+0081", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TabVerticalTabAndFormFeed_Accepted()
    {
        var path = Write("Person ID\tFirst Name\n1\tline one\vline two\f\n", new UTF8Encoding(false), bom: false);

        Assert.Equal(["line one\vline two\f"], await FirstNamesAsync(path));
    }

    [Fact]
    public async Task Read_ByteOrderMark_WinsOverTheEncodingNamed()
    {
        var path = Write(Unicode, Named("utf-16LE"), bom: true);

        Assert.Equal(["Łukasz", "李娜", "Zoë 👍"], await FirstNamesAsync(path, ExportEncodings.Resolve("shift_jis")));
    }

    [Fact]
    public async Task Read_EncodingNamedThatDoesNotFit_RefusedWithTheBytesAndTheirPosition()
    {
        // Windows-1252 "é" (E9) followed by "," is not a valid EUC-KR sequence.
        byte[] bytes = [.. "Person ID,First Name\n1,Ren"u8, 0xE9, .. ",x\n"u8];
        var path = _folder.Write("people.csv", bytes);

        var error = await Assert.ThrowsAsync<ExportEncodingException>(() => FirstNamesAsync(path, ExportEncodings.Resolve("euc-kr")));

        Assert.Equal((2L, 6), (error.Line, error.Column));
        Assert.Contains("are not valid euc-kr", error.Message, StringComparison.Ordinal);
        Assert.Contains("E9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Utf16WithOddByteAtTheEnd_RefusedAsTruncated()
    {
        byte[] bytes = [.. Named("utf-16LE").GetPreamble(), .. Encoding.Unicode.GetBytes("Person ID\n1\n"), 0x41];
        var path = _folder.Write("people.csv", bytes);

        var error = await Assert.ThrowsAsync<ExportEncodingException>(() => FirstNamesAsync(path));

        Assert.Contains("not valid UTF-16 LE", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Shift_JIS", 932)]
    [InlineData("shift-jis", 932)]
    [InlineData("EUC-KR", 51949)]
    [InlineData("ISO-8859-2", 28592)]
    [InlineData("iso-8859-15", 28605)]
    [InlineData("utf-32BE", 12001)]
    [InlineData("1252", 1252)]
    public void Resolve_NetOrIanaName_GivesTheCodePage(string name, int codePage) =>
        Assert.Equal(codePage, ExportEncodings.Resolve(name).CodePage);

    [Fact]
    public void Resolve_UnknownName_ThrowsListingExamples()
    {
        var error = Assert.Throws<ArgumentException>(() => ExportEncodings.Resolve("klingon"));

        Assert.Contains("'klingon'", error.Message, StringComparison.Ordinal);
        Assert.Contains("shift_jis", error.Message, StringComparison.Ordinal);
        Assert.Contains("iso-8859-2", error.Message, StringComparison.Ordinal);
    }
}
