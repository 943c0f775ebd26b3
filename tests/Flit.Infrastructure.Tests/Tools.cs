using System.Diagnostics;
using System.Reflection;

namespace Flit.Infrastructure.Tests;

/// <summary>The repository and the real tools the tests run: bicep (NuGet) and node with eng/tools (npm).</summary>
internal static class Tools
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string Bicep { get; } = Metadata("BicepPath");

    public static string InRepository(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    private static string Metadata(string key) =>
        typeof(Tools).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"No {key} metadata in the test assembly.");

    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs bicep; NuGet may drop the package's exec bit, so it is set when missing.</summary>
    public static Task<Result> BicepAsync(params string[] arguments)
    {
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(Bicep);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(Bicep, mode | UnixFileMode.UserExecute);
            }
        }

        return RunAsync(Bicep, arguments);
    }
}
