using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Flit.Core.Ports;

namespace Flit.Core.Workflow.Local;

/// <summary>Runs one activity: input and output travel as JSON, exactly as they would through Durable's queues.</summary>
public delegate Task<string> ActivityInvoker(string name, string inputJson, CancellationToken cancellationToken);

/// <summary>Where the local runner finds external events (e.g. the approval written by <c>flit approve</c>).</summary>
public interface IExternalEventSource
{
    /// <summary>The event's JSON when it has arrived, otherwise null.</summary>
    Task<string?> TryGetAsync(string instanceId, string eventName, CancellationToken cancellationToken);
}

/// <summary>The journal disagrees with the workflow's calls: the code changed, or it is not deterministic.</summary>
public sealed class NonDeterministicWorkflowException(string message) : Exception(message);

/// <summary>
/// The local runner's <see cref="IWorkflowContext"/>: runs the workflow in-process and journals each completed
/// activity. On resume the same workflow code runs again; every call whose sequence number is in the journal
/// returns its journaled output instead of running (after checking that name and input are the same), so
/// completed batches are never redone and the workflow sees exactly what it saw before.
/// Sequence numbers are taken when the workflow calls, which is deterministic even under fan-out.
/// </summary>
public sealed class JournalingWorkflowContext : IWorkflowContext, IDisposable
{
    private const string StartActivity = "$start";

    private readonly IRunJournal _journal;
    private readonly IReadOnlyDictionary<int, JournalEntry> _history;
    private readonly ActivityInvoker _invoke;
    private readonly IExternalEventSource _events;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _parallelism;
    private readonly Action<object?> _statusSink;
    private readonly CancellationToken _cancellationToken;
    private readonly Lock _clockLock = new();
    private int _sequence;
    private int _guidCounter;
    private int _replayed;
    private DateTimeOffset _now;

    private JournalingWorkflowContext(
        string instanceId,
        IRunJournal journal,
        IReadOnlyDictionary<int, JournalEntry> history,
        ActivityInvoker invoke,
        IExternalEventSource events,
        TimeProvider time,
        int maxParallelism,
        Action<object?> statusSink,
        CancellationToken cancellationToken)
    {
        InstanceId = instanceId;
        _journal = journal;
        _history = history;
        _invoke = invoke;
        _events = events;
        _time = time;
        _parallelism = new SemaphoreSlim(Math.Max(1, maxParallelism));
        _statusSink = statusSink;
        _cancellationToken = cancellationToken;
    }

    public string InstanceId { get; }

    public DateTimeOffset CurrentUtcDateTime
    {
        get
        {
            lock (_clockLock)
            {
                return _now;
            }
        }
    }

    /// <summary>True while the calls made so far are all answered from the journal.</summary>
    public bool IsReplaying => Volatile.Read(ref _replayed) < _history.Count;

    public object? CustomStatus { get; private set; }

    /// <summary>The input the workflow asked to restart with (<see cref="ContinueAsNew"/>), as JSON; null when it did not.
    /// The runner starts the next generation with it, under a journal of its own.</summary>
    public string? ContinuedAsNewWith { get; private set; }

    /// <summary>How many calls were answered from the journal rather than run.</summary>
    public int ReplayedCalls => Volatile.Read(ref _replayed);

    /// <summary>
    /// Opens a context for a run: reads its journal once; a new run journals its start time as step 0 so the
    /// workflow's clock replays identically.
    /// </summary>
    public static async Task<JournalingWorkflowContext> StartAsync(
        string instanceId,
        IRunJournal journal,
        ActivityInvoker invoke,
        IExternalEventSource events,
        TimeProvider time,
        int maxParallelism,
        Action<object?> statusSink,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(time);
        var history = await journal.ReadAsync(instanceId, cancellationToken);
        var context = new JournalingWorkflowContext(instanceId, journal, history, invoke, events, time, maxParallelism, statusSink, cancellationToken);
        if (history.TryGetValue(0, out var start))
        {
            context._now = start.CompletedAt;
            context._replayed = 1;
        }
        else
        {
            var now = time.GetUtcNow();
            await journal.AppendAsync(new JournalEntry(instanceId, 0, StartActivity, string.Empty, "{}", now), cancellationToken);
            context._now = now;
        }

        return context;
    }

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var inputJson = JsonSerializer.Serialize(input, WorkflowJson.Options);
        var output = await RunOrReplayAsync(sequence, name, inputJson, () => InvokeAsync(name, inputJson));
        return JsonSerializer.Deserialize<TResult>(output, WorkflowJson.Options)!;
    }

    public async Task<T> WaitForExternalEventAsync<T>(string eventName, TimeSpan timeout)
    {
        // The local runner does not sit waiting for a person: an event that has not arrived is a timeout now, and
        // `flit resume` picks the run up once it has. The outcome is journaled so a replay sees the same answer.
        var sequence = Interlocked.Increment(ref _sequence);
        var output = await RunOrReplayAsync(sequence, "$event:" + eventName, string.Empty, async () =>
            await _events.TryGetAsync(InstanceId, eventName, _cancellationToken) ?? "null");
        return output == "null"
            ? throw new TimeoutException($"No '{eventName}' event for {InstanceId} within {timeout}.")
            : JsonSerializer.Deserialize<T>(output, WorkflowJson.Options)!;
    }

    public async Task CreateTimerAsync(DateTimeOffset fireAt, CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        await RunOrReplayAsync(sequence, "$timer", fireAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture), async () =>
        {
            var wait = fireAt - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken);
            }

            return "{}";
        });
    }

    public void SetCustomStatus(object? status)
    {
        CustomStatus = status;
        _statusSink(status);
    }

    public Guid NewGuid()
    {
        // Name-based (v5 layout, SHA-256 bytes) from the instance id and a counter: the same on every replay.
        var counter = Interlocked.Increment(ref _guidCounter);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{InstanceId}/{counter}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    public void ContinueAsNew(object? newInput) => ContinuedAsNewWith = JsonSerializer.Serialize(newInput, WorkflowJson.Options);

    public void Dispose() => _parallelism.Dispose();

    private async Task<string> RunOrReplayAsync(int sequence, string name, string inputJson, Func<Task<string>> run)
    {
        var inputHash = Hash(inputJson);
        if (_history.TryGetValue(sequence, out var entry))
        {
            if (entry.Activity != name || entry.InputHash != inputHash)
            {
                throw new NonDeterministicWorkflowException(
                    $"Step {sequence} of {InstanceId} was '{entry.Activity}' (input {entry.InputHash[..12]}) in the journal, but the workflow now calls '{name}' (input {inputHash[..12]}). The workflow or its inputs changed since the run started.");
            }

            Interlocked.Increment(ref _replayed);
            Advance(entry.CompletedAt);
            return entry.OutputJson;
        }

        var output = await run();
        var completedAt = _time.GetUtcNow();
        await _journal.AppendAsync(new JournalEntry(InstanceId, sequence, name, inputHash, output, completedAt), _cancellationToken);
        Advance(completedAt);
        return output;
    }

    private async Task<string> InvokeAsync(string name, string inputJson)
    {
        await _parallelism.WaitAsync(_cancellationToken);
        try
        {
            return await _invoke(name, inputJson, _cancellationToken);
        }
        finally
        {
            _parallelism.Release();
        }
    }

    private void Advance(DateTimeOffset completedAt)
    {
        lock (_clockLock)
        {
            if (completedAt > _now)
            {
                _now = completedAt;
            }
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>The JSON shape of activity inputs and outputs: the same for journal, hosts and tests.</summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
