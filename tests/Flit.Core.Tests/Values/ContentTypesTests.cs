using System.IO.Compression;
using System.Text;
using Flit.Core.Sources;
using Flit.Core.Values;

namespace Flit.Core.Tests.Values;

public sealed class ContentTypesTests
{
    private static byte[] Docx()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("[Content_Types].xml");
            zip.CreateEntry("word/document.xml");
        }

        return buffer.ToArray();
    }

    public static TheoryData<byte[], string> Signatures() => new()
    {
        { Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "application/pdf" },
        { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "image/png" },
        { [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46], "image/jpeg" },
        { Encoding.ASCII.GetBytes("GIF89a\u0001\u0000"), "image/gif" },
        { Docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
    };

    [Theory]
    [MemberData(nameof(Signatures))]
    public void Decide_DeclaredTextPlainButContentHasASignature_TakesTheContentsType(byte[] content, string expected)
    {
        var type = ContentTypes.Decide("text/plain", ContentTypes.Sniff(content), out var contradicted);

        Assert.Equal(expected, type);
        Assert.True(contradicted);
    }

    [Theory]
    [InlineData("application/pdf", "application/pdf")]
    [InlineData("APPLICATION/PDF; charset=binary", "application/pdf")]
    [InlineData(null, "application/pdf")]
    public void Decide_DeclaredMatchesOrMissing_IsNoContradiction(string? declared, string expected)
    {
        var type = ContentTypes.Decide(declared, ContentTypes.Sniff(Encoding.ASCII.GetBytes("%PDF-1.4")), out var contradicted);

        Assert.Equal(expected, type);
        Assert.False(contradicted);
    }

    [Fact]
    public void Decide_TextContent_NeverOverridesADeclaredTextType()
    {
        var type = ContentTypes.Decide("text/csv", ContentTypes.Sniff(Encoding.UTF8.GetBytes("a,b\n1,2\n")), out var contradicted);

        Assert.Equal("text/csv", type);
        Assert.False(contradicted);
    }

    [Theory]
    [InlineData("contract", "application/pdf", "contract.pdf")]
    [InlineData("photo.jpeg", "image/png", "photo.jpeg")]
    [InlineData("notes", "application/octet-stream", "notes")]
    public void WithExtension_NameWithoutOne_GetsTheTypesExtension(string name, string type, string expected) =>
        Assert.Equal(expected, ContentTypes.WithExtension(name, type));
}

public sealed class ExportPathsTests
{
    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("files/../../secret.pdf")]
    [InlineData("/etc/passwd")]
    [InlineData("files\\contract.pdf")]
    [InlineData("C:/Users/ann/contract.pdf")]
    [InlineData("files//contract.pdf")]
    [InlineData("")]
    public void Check_PathLeavingTheExportOrUnresolvable_IsRefusedWithAReason(string path)
    {
        Assert.Null(ExportPaths.Check(path, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData("files/contract.pdf")]
    [InlineData("docs/2024/Q1 report.docx")]
    public void Check_RelativePathInsideTheExport_IsUsedAsItIs(string path) =>
        Assert.Equal(path, ExportPaths.Check(path, out _));
}
