namespace Flit.Sandbox.Odoo;

/// <summary>
/// The server time an Odoo request costs. A real Odoo spends milliseconds of ORM work per record a call writes and a
/// fixed overhead per call (request parsing, authentication, transaction, commit), on one of its workers, which the
/// request holds for all of it: with one worker, requests wait for each other. The sandbox's own work is microseconds,
/// so without this batching would look better than it is.
/// </summary>
internal sealed class OdooWorkers(int workers, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _free = new(Math.Max(workers, 1), Math.Max(workers, 1));
    private long _recordsWritten;

    public TimeSpan PerCall { get; set; }

    public TimeSpan PerRecord { get; set; }

    /// <summary>Records created, written or deleted since start or the last reset, each charged <see cref="PerRecord"/>.</summary>
    public long RecordsWritten => Interlocked.Read(ref _recordsWritten);

    public void Reset() => Interlocked.Exchange(ref _recordsWritten, 0);

    /// <summary>Runs one request on a worker and holds the worker for the request's server time, a fault included.</summary>
    public async Task<T> RunAsync<T>(int records, Func<T> work, CancellationToken cancellationToken)
    {
        await _free.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Add(ref _recordsWritten, records);
            return work();
        }
        finally
        {
            var cost = PerCall + (PerRecord * records);
            try
            {
                if (cost > TimeSpan.Zero)
                {
                    await Task.Delay(cost, time, cancellationToken);
                }
            }
            finally
            {
                _free.Release();
            }
        }
    }

    /// <summary>How many records a call writes: the rows of a load, the values of a create, the ids of a write or unlink.</summary>
    public static int RecordsOf(string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        object? Arg(int index, string name) => index < args.Count ? args[index] : kwargs.GetValueOrDefault(name);
        static int Count(object? value) => value switch
        {
            null => 0,
            IReadOnlyDictionary<string, object?> => 1,
            string => 1,
            System.Collections.ICollection items => items.Count,
            IEnumerable<object?> items => items.Count(),
            _ => 1,
        };

        return method switch
        {
            "load" => Count(Arg(1, "data")),
            "create" => Count(Arg(0, "vals_list")),
            "write" or "unlink" => Count(Arg(0, "ids")),
            _ => 0,
        };
    }

    public void Dispose() => _free.Dispose();
}
