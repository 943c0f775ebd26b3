using System.Text;
using Flit.Core.Sources;
using Flit.Sources.Readers;

namespace Flit.Sources.Tests.Readers;

public sealed class ReaderPartsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("First name")]
    [InlineData("FIRST_NAME")]
    [InlineData(" first-name ")]
    [InlineData("First.Name:")]
    public void Normalize_HeaderVariants_SameKey(string header) => Assert.Equal("firstname", HeaderNames.Normalize(header));

    [Fact]
    public void Normalize_Accents_Removed() => Assert.Equal("societe", HeaderNames.Normalize("Société"));

    [Fact]
    public void Find_Alias_ReturnsDocumentedColumn() =>
        Assert.Equal("First Name", HeaderNames.Find(TestLayouts.Person(), "Given-Name")?.Name);

    [Fact]
    public async Task Detect_MultiByteSequenceSplitAcrossChunks_StaysUtf8()
    {
        // 'é' (C3 A9) straddles the 64 KiB chunk boundary of the validation pass.
        var bytes = new byte[(64 * 1024) + 10];
        bytes.AsSpan().Fill((byte)'a');
        bytes[(64 * 1024) - 1] = 0xC3;
        bytes[64 * 1024] = 0xA9;
        var detected = await TextEncodingDetector.DetectAsync(ForwardOnly(bytes), null, CancellationToken.None);

        Assert.True(detected.IsUtf8);
    }

    [Fact]
    public async Task Detect_TruncatedSequenceAtEnd_IsWindows1252() =>
        Assert.Equal(1252, (await TextEncodingDetector.DetectAsync(ForwardOnly([(byte)'a', (byte)'b', 0xC3]), null, CancellationToken.None)).Encoding.CodePage);

    private static ExportFile ForwardOnly(byte[] bytes) => new("people.csv", _ => Task.FromResult<Stream>(new Flit.Testing.ForwardOnlyStream(new MemoryStream(bytes))));

    [Fact]
    public void LineSkippingStream_MixedLineEndings_ResumesAtLineStart()
    {
        using var inner = new MemoryStream(Encoding.ASCII.GetBytes("one\r\ntwo\rthree\nfour\n"));
        using var skipping = new LineSkippingStream(inner, 3);
        using var reader = new StreamReader(skipping);

        Assert.Equal("four\n", reader.ReadToEnd());
    }

    [Fact]
    public void Discover_Folder_MatchesCaseInsensitivelyAndListsUnknownAndMissing()
    {
        _folder.WriteUtf8("PEOPLE.CSV", "Person ID\n1\n");
        _folder.WriteUtf8("people.xlsx", "not used");
        _folder.WriteUtf8("readme.txt", "hello");
        _folder.WriteUtf8("files/a.pdf", "%PDF");
        var people = TestLayouts.Person() with { FileNames = ["people.csv", "people.xlsx"] };
        var notes = new ObjectLayout("note", ["notes.csv", "notes.json"], ExportFormat.Csv, "Note ID", [], "A note.");
        var layout = new SourceLayout("test", "Test", "UTC", [people, notes]);

        var contents = ExportFolder.Discover(_folder.Path, layout);

        var file = Assert.Single(contents.Files);
        Assert.Equal(("person", "PEOPLE.CSV"), (file.Object.Name, file.RelativePath));
        Assert.Equal(["readme.txt"], contents.UnknownFiles);
        Assert.Equal(["note"], contents.MissingObjects.Select(o => o.Name));
        Assert.Equal(["people.xlsx"], contents.IgnoredFiles);
    }
}
