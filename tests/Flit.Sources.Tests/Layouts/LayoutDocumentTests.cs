using Flit.Sources.Layouts;

namespace Flit.Sources.Tests.Layouts;

public sealed class LayoutDocumentTests
{
    public static TheoryData<string> Systems() => [.. SourceLayouts.All.Select(l => l.System)];

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "FlitFunctions.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("FlitFunctions.sln not found above the test folder.");
    }

    /// <summary>Set FLIT_UPDATE_DOCS=1 to rewrite the documents after changing a layout.</summary>
    [Theory]
    [MemberData(nameof(Systems))]
    public void Document_InTheRepository_IsWhatTheCodeAccepts(string system)
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "sources", system + ".md");
        var expected = LayoutDocument.ToMarkdown(SourceLayouts.Get(system));
        if (Environment.GetEnvironmentVariable("FLIT_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the tests with FLIT_UPDATE_DOCS=1.");
        Assert.Equal(expected, File.ReadAllText(path));
    }
}
