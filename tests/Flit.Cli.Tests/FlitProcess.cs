using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Flit.Cli.Tests;

/// <summary>Runs the real <c>flit</c> command as a separate process, the way people and scripts use it.</summary>
/// <param name="workingDirectory">Where it runs (its default workspace is <c>.flit</c> there).</param>
/// <param name="environment">Variables set for it.</param>
/// <param name="commonArgs">Options given to every command, e.g. <c>--store azure</c>.</param>
internal sealed partial class FlitProcess(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? commonArgs = null)
{
    private static readonly string FlitDll = Path.Combine(AppContext.BaseDirectory, "flit.dll");

    public string WorkingDirectory => workingDirectory;

    public async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }

    /// <summary><c>flit propose</c>, then <c>flit approve</c> of the spec it proposed: what every run needs first.</summary>
    public async Task ProposeAndApproveAsync(string migration, string pair, string exports)
    {
        var (code, output) = await RunAsync("propose", "-m", migration, "--pair", pair, "--exports", exports);
        Assert.True(code == 0, output);
        (code, output) = await RunAsync("approve", "-m", migration, "--spec", SpecHash().Match(output).Groups[1].Value, "--by", "dana@flitstack.io");
        Assert.True(code == 0, output);
    }

    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(FlitDll);
        foreach (var arg in args.Concat(commonArgs ?? []))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["COLUMNS"] = "200";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Where the run's report.json is, as the run printed it.</summary>
    public static string JsonReportPath(string output) => JsonReport().Match(output).Groups[1].Value.Trim();

    [GeneratedRegex(@"All of it as JSON: (.+)")]
    private static partial Regex JsonReport();

    [GeneratedRegex(@"Spec to approve: ([0-9a-f]{16})")]
    private static partial Regex SpecHash();
}
