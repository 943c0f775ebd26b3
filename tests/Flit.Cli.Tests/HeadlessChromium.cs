using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Flit.Cli.Tests;

/// <summary>What Chromium made of a page: the DOM after load, and what the page's console said (policy violations among it).</summary>
internal sealed record RenderedPage(string Dom, IReadOnlyList<string> Console);

/// <summary>
/// Debian's Chromium, run headless on a file: the DOM after load (<c>--dump-dom</c>), or a screenshot. The binary is
/// driven directly rather than through a driver, so nothing can download a browser or mismatch its version; the
/// page's console comes from Chromium's own log on stderr. eng/test.sh installs Chromium: a missing one fails the
/// test, it does not skip it.
/// </summary>
internal static partial class HeadlessChromium
{
    private const string Executable = "/usr/bin/chromium";

    /// <summary>The flags that work on this machine: root needs --no-sandbox; without the background-networking flags
    /// Chromium keeps trying the closed network.</summary>
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
    ];

    public static async Task<RenderedPage> DumpDomAsync(string htmlFile)
    {
        var (stdout, stderr) = await RunAsync(["--dump-dom", new Uri(htmlFile).AbsoluteUri]);
        return new RenderedPage(stdout, ConsoleMessages(stderr));
    }

    public static async Task<RenderedPage> ScreenshotAsync(string htmlFile, string pngFile, int width, int height)
    {
        var (stdout, stderr) = await RunAsync([$"--screenshot={pngFile}", $"--window-size={width},{height}", new Uri(htmlFile).AbsoluteUri]);
        return new RenderedPage(stdout, ConsoleMessages(stderr));
    }

    private static async Task<(string Stdout, string Stderr)> RunAsync(IEnumerable<string> args)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"Chromium is not installed ({Executable}): `bash eng/test.sh` installs it (apt-get install chromium).");
        }

        var profile = Directory.CreateTempSubdirectory("flit-chromium-").FullName;
        try
        {
            var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in Flags.Append($"--user-data-dir={profile}").Concat(args))
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException("Chromium did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium did not finish within 90 s: {Tail(await stderr)}");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"Chromium exited with {process.ExitCode}: {Tail(await stderr)}");
            }

            return (await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];

    private static List<string> ConsoleMessages(string log) => [.. ConsoleLine().Matches(log).Select(m => m.Groups[1].Value)];

    /// <summary>Chromium logs a page's console as <c>[...:INFO:CONSOLE:1] "message", source: file:///... (1)</c>.</summary>
    [GeneratedRegex(@":CONSOLE[^\]]*\] ""(.*)"", source:")]
    private static partial Regex ConsoleLine();
}
