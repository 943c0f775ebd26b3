using Flit.Core.Workflow;

namespace Flit.Cli.Hosting;

/// <summary>
/// Keeps a migration's stored status up to date without holding the workflow up: the workflow posts each status
/// (from its synchronous status callback), one write at a time goes to the store, and a status posted while a write
/// is under way replaces any waiting one — the store always ends with the latest. A failed write is not lost: it is
/// thrown when the host is disposed.
/// </summary>
internal sealed class StatusWriter(Workspace workspace, string migrationId) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private MigrationStatus? _waiting;
    private bool _running;
    private Exception? _failure;
    private Task _writing = Task.CompletedTask;

    public void Post(MigrationStatus status)
    {
        lock (_gate)
        {
            _waiting = status;
            if (!_running)
            {
                _running = true;
                _writing = Task.Run(WriteAsync);
            }
        }
    }

    private async Task WriteAsync()
    {
        while (true)
        {
            MigrationStatus status;
            lock (_gate)
            {
                if (_waiting is null)
                {
                    // Decided under the lock: a status posted after this starts a new writer.
                    _running = false;
                    return;
                }

                status = _waiting;
                _waiting = null;
            }

            try
            {
                await workspace.SaveStatusAsync(migrationId, status, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lock (_gate)
                {
                    _failure ??= e;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task writing;
        lock (_gate)
        {
            writing = _writing;
        }

        await writing;
        if (_failure is { } failure)
        {
            throw new InvalidOperationException($"The status of migration {migrationId} could not be stored: {failure.Message}", failure);
        }
    }
}
