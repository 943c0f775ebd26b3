using System.Diagnostics;
using System.Text.RegularExpressions;

/// <summary>The real <c>flit</c> (built beside the benchmark) in its own process, as a person runs it.</summary>
internal static partial class FlitProcess
{
    /// <summary>Runs one flit command to its end: its exit code and everything it wrote.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string folder, params string[] args)
    {
        using var process = Start(folder, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary><c>flit propose</c> then <c>flit approve</c> of the proposed spec: what every run needs first.</summary>
    /// <param name="folder">Where flit runs (its workspace is .flit there).</param>
    /// <param name="migration">The migration id.</param>
    /// <param name="pair">The mapping pair.</param>
    /// <param name="exports">The export folder.</param>
    /// <param name="common">Options for both commands, e.g. <c>--store azure</c>.</param>
    public static async Task ProposeAndApproveAsync(string folder, string migration, string pair, string exports, params string[] common)
    {
        var (code, output) = await RunAsync(folder, ["propose", "-m", migration, "--pair", pair, "--exports", exports, .. common]);
        if (code == 0)
        {
            (code, output) = await RunAsync(folder, ["approve", "-m", migration, "--spec", SpecHash().Match(output).Groups[1].Value, "--by", "bench@flitstack.io", .. common]);
        }

        if (code != 0)
        {
            throw new InvalidOperationException($"flit exited with {code}: {output}");
        }
    }

    /// <summary>Starts flit with its output redirected; an Odoo target's password comes from the environment.</summary>
    public static Process Start(string folder, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "flit.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["FLIT_ODOO_PASSWORD"] = "admin";
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>The one-line summary a run prints (or its error).</summary>
    public static string Summary(string output) =>
        output.Split('\n').FirstOrDefault(l => l.Contains("records →", StringComparison.Ordinal) || l.Contains("records read", StringComparison.Ordinal))?.Trim() ?? output.Trim();

    [GeneratedRegex(@"Spec to approve: ([0-9a-f]{16})")]
    private static partial Regex SpecHash();
}
