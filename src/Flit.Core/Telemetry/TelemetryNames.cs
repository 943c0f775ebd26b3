namespace Flit.Core.Telemetry;

/// <summary>
/// The names ops query (docs/ops.md): the meter, its instruments, and the properties every log line and measurement
/// carries. Log scope properties and metric tags share the same names, so one KQL filter such as
/// <c>customDimensions.MigrationId == "m1"</c> works on the <c>traces</c> and the <c>customMetrics</c> tables alike.
/// </summary>
public static class TelemetryNames
{
    /// <summary>The one meter of the product: OpenTelemetry and Application Insights collect it with
    /// <c>AddMeter("FlitFunctions")</c>, nothing else of ours per backend.</summary>
    public const string Meter = "FlitFunctions";

    /// <summary>Records read from the staged batches a load works on (every row accounted for: loaded, failed,
    /// skipped or unchanged).</summary>
    public const string RecordsRead = "flit.records.read";

    /// <summary>Records the destination created or updated.</summary>
    public const string RecordsWritten = "flit.records.written";

    /// <summary>Records that did not load: mapping or validation failures, destination refusals, conflicts.</summary>
    public const string RecordsFailed = "flit.records.failed";

    /// <summary>Records of the retry pass (their parent was missing on the first try).</summary>
    public const string RecordsRetried = "flit.records.retried";

    /// <summary>Wall time of one load batch, in seconds (histogram).</summary>
    public const string BatchDuration = "flit.batch.duration";

    /// <summary>Destination calls, each attempt counted (tag <c>Outcome</c>: ok or the error code).</summary>
    public const string DestinationCalls = "flit.destination.calls";

    /// <summary>Latency of one destination call attempt, in seconds (histogram).</summary>
    public const string DestinationCallDuration = "flit.destination.call.duration";

    /// <summary>Destination calls retried after a transient failure (tag <c>Reason</c>).</summary>
    public const string DestinationRetries = "flit.destination.retries";

    /// <summary>Destination calls answered with throttling (HTTP 429 or 503), then retried.</summary>
    public const string DestinationThrottled = "flit.destination.throttled";

    /// <summary>Every instrument of <see cref="Meter"/>.</summary>
    public static IReadOnlyList<string> Instruments { get; } =
    [
        RecordsRead, RecordsWritten, RecordsFailed, RecordsRetried, BatchDuration,
        DestinationCalls, DestinationCallDuration, DestinationRetries, DestinationThrottled,
    ];

    /// <summary>The migration's id (log scope and metric tag).</summary>
    public const string MigrationId = "MigrationId";

    /// <summary>The run: the orchestration instance of one attempt or delta pass (log scope).</summary>
    public const string RunId = "RunId";

    /// <summary>The activity running (log scope).</summary>
    public const string Stage = "Stage";

    /// <summary>The object type: the mapping's source object in the engine, the destination model in a connector
    /// (log scope and metric tag).</summary>
    public const string ObjectType = "ObjectType";

    /// <summary>The load batch (log scope).</summary>
    public const string BatchId = "BatchId";

    /// <summary><c>odoo</c>, <c>dataverse</c>, <c>rehearsal</c> (metric tag).</summary>
    public const string DestinationKind = "DestinationKind";

    /// <summary>The destination method called, e.g. <c>load</c> (metric tag).</summary>
    public const string Method = "Method";

    /// <summary>How a destination call ended: <c>ok</c> or an error code (metric tag).</summary>
    public const string Outcome = "Outcome";

    /// <summary>Why a destination call was retried, e.g. <c>http-429</c> (metric tag).</summary>
    public const string Reason = "Reason";

    /// <summary>The log scope properties, in the order they are opened.</summary>
    public static IReadOnlyList<string> ScopeProperties { get; } = [MigrationId, RunId, Stage, ObjectType, BatchId];
}
