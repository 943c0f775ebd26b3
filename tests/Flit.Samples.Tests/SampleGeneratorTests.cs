using System.Security.Cryptography;
using Flit.Core.Sources;
using Flit.Sources.Layouts;
using Flit.Sources.Readers;

namespace Flit.Samples.Tests;

public sealed class SampleGeneratorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("flit-samples-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string> Systems() => [.. SourceLayouts.All.Select(l => l.System)];

    private static string FolderHash(string folder)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, file)));
            sha.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public void Generate_SameSeed_SameBytes_OtherSeed_OtherBytes(string system)
    {
        var options = SampleOptions.Default with { LargeAttachmentBytes = 2048 };
        SampleGenerator.Generate(system, Path.Combine(_root, "a"), 300, 7, options);
        SampleGenerator.Generate(system, Path.Combine(_root, "b"), 300, 7, options);
        SampleGenerator.Generate(system, Path.Combine(_root, "c"), 300, 8, options);

        Assert.Equal(FolderHash(Path.Combine(_root, "a")), FolderHash(Path.Combine(_root, "b")));
        Assert.NotEqual(FolderHash(Path.Combine(_root, "a")), FolderHash(Path.Combine(_root, "c")));
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public async Task Generate_EveryObjectFile_ReadsBackWithItsCountAndNoProblems(string system)
    {
        var folder = Path.Combine(_root, system);
        var manifest = SampleGenerator.Generate(system, folder, 400, 3, SampleOptions.Default with { LargeAttachmentBytes = 1024 });
        var layout = SourceLayouts.Get(system);
        var contents = ExportFolder.Discover(folder, layout);
        var problems = new ReadProblemCollector();

        foreach (var (name, count) in manifest.Objects)
        {
            var file = Assert.Single(contents.Files, f => f.Object.Name == name);
            Assert.Equal(count, await ExportReader.ReadAsync(file.Path, file.Object, problems).CountAsync());
        }

        Assert.Empty(problems.Problems);
        Assert.Equal(400, manifest.Objects[layout.Objects.First(o => manifest.Objects.ContainsKey(o.Name) && manifest.Objects[o.Name] == 400).Name]);
    }

    [Fact]
    public void Generate_DirtRates_AreHonouredAndListed()
    {
        var manifest = SampleGenerator.Generate("oncourse", Path.Combine(_root, "dirt"), 2000, 11,
            SampleOptions.Default with { MissingEmailRate = 0.1, DuplicateEmailRate = 0.05, BadDateRate = 0.02, WriteAttachments = false });

        var missing = manifest.Dirt[DirtKinds.MissingEmail];
        Assert.InRange(missing.Count, 150, 450);
        Assert.Equal(missing.Count, missing.Records.Count);
        Assert.All(missing.Records, r => Assert.Equal("Email", r.Column));
        Assert.True(manifest.Dirt[DirtKinds.DuplicateEmail].Count > 50);
        Assert.True(manifest.Dirt[DirtKinds.BadDate].Count > 20);
        Assert.True(manifest.Dirt[DirtKinds.UnmatchedOwner].Count > 0);
        Assert.NotEmpty(manifest.DestinationUsers);
    }

    [Fact]
    public void Generate_CleanOptions_InjectNoDirt()
    {
        var manifest = SampleGenerator.Generate("casemanager", Path.Combine(_root, "clean"), 300, 5, SampleOptions.Clean with { WriteAttachments = false });

        Assert.Empty(manifest.Dirt);
    }

    [Theory]
    [InlineData(SampleEncoding.Windows1252, ';')]
    [InlineData(SampleEncoding.Utf16, ',')]
    [InlineData(SampleEncoding.Utf8Bom, ';')]
    public async Task Generate_EncodingAndDelimiterQuirks_StillReadIdentically(SampleEncoding encoding, char delimiter)
    {
        var plain = SampleGenerator.Generate("casemanager", Path.Combine(_root, "plain"), 200, 9, SampleOptions.Clean with { WriteAttachments = false });
        SampleGenerator.Generate("casemanager", Path.Combine(_root, "quirky"), 200, 9, SampleOptions.Clean with { WriteAttachments = false, Encoding = encoding, Delimiter = delimiter, LineEnding = "\n" });
        var layout = SourceLayouts.Get("casemanager").Object("company")!;

        var a = await ExportReader.ReadAsync(Path.Combine(_root, "plain", "companies.csv"), layout, new ReadProblemCollector()).Select(r => string.Join("|", r.Values)).ToListAsync();
        var b = await ExportReader.ReadAsync(Path.Combine(_root, "quirky", "companies.csv"), layout, new ReadProblemCollector()).Select(r => string.Join("|", r.Values)).ToListAsync();

        Assert.Equal(plain.Objects["company"], a.Count);
        Assert.Equal(a, b);
    }
}
