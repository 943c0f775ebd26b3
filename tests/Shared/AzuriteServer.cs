using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Flit.Testing;

/// <summary>
/// A real Azurite (the Azure Storage emulator, npm <c>azurite</c> pinned in eng/tools) started for a test class on
/// free loopback ports with in-memory persistence, and stopped with it. Its access log is kept, so a test counts the
/// calls the emulator received. Missing Azurite fails the test (the README's test command installs it); it never skips.
/// </summary>
public sealed partial class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account (its documented default key).</summary>
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _requests = new();

    private AzuriteServer(Process process, int blobPort, int tablePort)
    {
        _process = process;
        _blobPort = blobPort;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/{Account};TableEndpoint=http://127.0.0.1:{tablePort}/{Account};";
    }

    public string ConnectionString { get; }

    /// <summary>Request lines the emulator logged so far ("POST /devstoreaccount1/$batch HTTP/1.1" 202).</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public static async Task<AzuriteServer> StartAsync()
    {
        var executable = Locate();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
                     "--blobHost", "127.0.0.1", "--blobPort", "0", "--queueHost", "127.0.0.1", "--queuePort", "0", "--tableHost", "127.0.0.1", "--tablePort", "0"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var ports = new ConcurrentDictionary<string, int>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new ConcurrentQueue<string>();
        AzuriteServer? server = null;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            output.Enqueue(line);
            if (Listening().Match(line) is { Success: true } m)
            {
                ports[m.Groups[1].Value] = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (ports.ContainsKey("Blob") && ports.ContainsKey("Table"))
                {
                    ready.TrySetResult();
                }
            }
            else if (server is not null && line.Contains("\" ", StringComparison.Ordinal) && line.Contains(" HTTP/", StringComparison.Ordinal))
            {
                server._requests.Enqueue(line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                output.Enqueue(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != ready.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"Azurite did not start: {string.Join(Environment.NewLine, output)}");
        }

        server = new AzuriteServer(process, ports["Blob"], ports["Table"]);
        return server;
    }

    private readonly int _blobPort;

    /// <summary>Requests whose line contains <paramref name="fragment"/> (a table name, <c>$batch</c>), once the log
    /// has caught up with every request made before this call.</summary>
    public async Task<int> CountAsync(string fragment)
    {
        await SettleAsync();
        return _requests.Count(r => r.Contains(fragment, StringComparison.Ordinal) && !r.Contains(MarkerPrefix, StringComparison.Ordinal));
    }

    private const string MarkerPrefix = "log-marker-";

    /// <summary>Azurite logs a request when its response is sent, and the log reaches us asynchronously: a request of
    /// our own, waited for in the log, marks the point up to which the log is complete.</summary>
    private async Task SettleAsync()
    {
        var marker = MarkerPrefix + Guid.NewGuid().ToString("N");
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{_blobPort}/{Account}/{marker}"));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!_requests.Any(r => r.Contains(marker, StringComparison.Ordinal)))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("Azurite's access log did not show the marker request within 10 s.");
            }

            await Task.Delay(10);
        }
    }

    public void ClearRequests() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string Locate()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "eng", "tools", "node_modules", ".bin", "azurite");
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (File.Exists(Path.Combine(folder.FullName, "FlitFunctions.sln")))
            {
                break;
            }
        }

        throw new InvalidOperationException("Azurite is not installed: run the README's test command (bash eng/test.sh), which installs it with `npm ci` in eng/tools.");
    }

    [GeneratedRegex(@"Azurite (Blob|Table) service is successfully listening at http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
