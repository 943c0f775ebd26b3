using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Flit.Cli.Tests;

/// <summary>
/// Listens on a loopback port and records every connection that reaches it: a payload that fetches or loads from
/// here proves it ran. Nothing is answered; each connection is closed after its first line.
/// </summary>
internal sealed class LoopbackWatcher : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Task _accepting;
    private int _inFlight;

    public LoopbackWatcher()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string BaseAddress => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>
    /// The first line of each request ("GET /img HTTP/1.1"), once those already made have been read. Call it after
    /// the browser has exited: every connection it opened is then accepted or waiting in the listen backlog.
    /// </summary>
    public async Task<IReadOnlyCollection<string>> RequestsAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var quiet = 0;
        while (quiet < 2)
        {
            quiet = _listener.Pending() || Volatile.Read(ref _inFlight) > 0 ? 0 : quiet + 1;
            await Task.Delay(TimeSpan.FromMilliseconds(25), timeout.Token);
        }

        return [.. _requests];
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Interlocked.Increment(ref _inFlight);
            using (client)
            {
                var buffer = new byte[512];
                using var read = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                read.CancelAfter(TimeSpan.FromSeconds(5));
                int count;
                try
                {
                    count = await client.GetStream().ReadAsync(buffer, read.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    count = 0;
                }

                // A connection is evidence even without a request line.
                _requests.Enqueue(Encoding.ASCII.GetString(buffer, 0, count).Split('\r', '\n')[0]);
            }

            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
