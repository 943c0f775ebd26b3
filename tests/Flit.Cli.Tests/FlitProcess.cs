using System.Diagnostics;
using System.Text;

namespace Flit.Cli.Tests;

/// <summary>Runs the real <c>flit</c> command as a separate process, the way people and scripts use it.</summary>
internal sealed class FlitProcess(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
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

    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(FlitDll);
        foreach (var arg in args)
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
}
