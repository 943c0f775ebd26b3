namespace Flit.Infrastructure.Tests;

/// <summary>Every template and parameter file compiles with the real bicep CLI, whose linter (infra/bicepconfig.json)
/// runs during the build: no error and no warning.</summary>
public sealed class BicepBuildTests
{
    public static TheoryData<string> Templates() =>
        [.. Directory.GetFiles(Tools.InRepository("infra"), "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Tools.RepositoryRoot, f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> ParameterFiles() =>
        [.. Directory.GetFiles(Tools.InRepository("infra"), "*.bicepparam", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Tools.RepositoryRoot, f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Build_Template_CompilesWithoutWarnings(string template)
    {
        var result = await Tools.BicepAsync("build", template, "--stdout");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("", result.Error.Trim());
        Assert.Contains("\"$schema\"", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public async Task BuildParams_ParameterFile_CompilesWithoutWarnings(string parameters)
    {
        var result = await Tools.BicepAsync("build-params", parameters, "--stdout");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("", result.Error.Trim());
        Assert.Contains("\"parametersJson\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Infra_HasEveryEnvironment()
    {
        Assert.Contains(Path.Combine("infra", "env", "dev.bicepparam"), ParameterFiles());
        Assert.Contains(Path.Combine("infra", "env", "prod.bicepparam"), ParameterFiles());
        Assert.Contains(Path.Combine("infra", "eventgrid.bicep"), Templates());
    }

    [Fact]
    public async Task Build_TemplateBreakingALinterRule_FailsWithTheRule()
    {
        // The same bicepconfig.json beside a template with an unused parameter and a hard-coded cloud URL.
        var directory = Directory.CreateTempSubdirectory("flit-bicep-");
        try
        {
            File.Copy(Tools.InRepository("infra", "bicepconfig.json"), Path.Combine(directory.FullName, "bicepconfig.json"));
            var template = Path.Combine(directory.FullName, "bad.bicep");
            await File.WriteAllTextAsync(template, "param unused string\noutput url string = 'https://x.blob.core.windows.net'\n");

            var result = await Tools.BicepAsync("build", template, "--stdout");

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("no-unused-params", result.Error, StringComparison.Ordinal);
            Assert.Contains("no-hardcoded-env-urls", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
