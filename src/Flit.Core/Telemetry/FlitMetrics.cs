using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Flit.Core.Telemetry;

/// <summary>
/// The instruments of the <see cref="TelemetryNames.Meter"/> meter. A host with dependency injection creates one from
/// its <see cref="IMeterFactory"/>; the local runner, which has none, uses <see cref="Shared"/>. Durations are in
/// seconds (OpenTelemetry's convention), with bucket boundaries that suit calls and batches of milliseconds to minutes.
/// </summary>
public sealed class FlitMetrics
{
    private static readonly InstrumentAdvice<double> SecondsAdvice = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    };

    private readonly Counter<long> _read;
    private readonly Counter<long> _written;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _callDuration;
    private readonly Counter<long> _callRetries;
    private readonly Counter<long> _throttled;

    public FlitMetrics(IMeterFactory meterFactory)
        : this((meterFactory ?? throw new ArgumentNullException(nameof(meterFactory))).Create(new MeterOptions(TelemetryNames.Meter)))
    {
    }

    private FlitMetrics(Meter meter)
    {
        _read = meter.CreateCounter<long>(TelemetryNames.RecordsRead, "{record}", "Records read from staged load batches.");
        _written = meter.CreateCounter<long>(TelemetryNames.RecordsWritten, "{record}", "Records the destination created or updated.");
        _failed = meter.CreateCounter<long>(TelemetryNames.RecordsFailed, "{record}", "Records that did not load (failed or in conflict).");
        _retried = meter.CreateCounter<long>(TelemetryNames.RecordsRetried, "{record}", "Records loaded again by the retry pass.");
        _batchDuration = meter.CreateHistogram(TelemetryNames.BatchDuration, "s", "Wall time of one load batch.", advice: SecondsAdvice);
        _calls = meter.CreateCounter<long>(TelemetryNames.DestinationCalls, "{call}", "Destination calls, each attempt.");
        _callDuration = meter.CreateHistogram(TelemetryNames.DestinationCallDuration, "s", "Latency of one destination call attempt.", advice: SecondsAdvice);
        _callRetries = meter.CreateCounter<long>(TelemetryNames.DestinationRetries, "{call}", "Destination calls retried after a transient failure.");
        _throttled = meter.CreateCounter<long>(TelemetryNames.DestinationThrottled, "{call}", "Destination calls answered with throttling.");
    }

    /// <summary>For hosts without dependency injection (the <c>flit</c> process): one meter for the process.</summary>
    public static FlitMetrics Shared { get; } = new(new Meter(TelemetryNames.Meter, typeof(FlitMetrics).Assembly.GetName().Version?.ToString()));

    /// <summary>One load batch's records and wall time.</summary>
    public void BatchLoaded(string migrationId, string objectType, string destinationKind, BatchCounts counts, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var tags = Tags(migrationId, objectType, destinationKind);
        Add(_read, counts.Read, tags);
        Add(_written, counts.Written, tags);
        Add(_failed, counts.Failed, tags);
        Add(_retried, counts.Retried, tags);
        _batchDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>One attempt of a destination call.</summary>
    public void DestinationCall(string? migrationId, string destinationKind, string objectType, string method, string outcome, TimeSpan duration)
    {
        var tags = CallTags(migrationId, destinationKind, objectType, method, TelemetryNames.Outcome, outcome);
        _calls.Add(1, tags);
        _callDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A destination call about to be tried again; <paramref name="throttled"/> when the destination said it
    /// was too busy.</summary>
    public void DestinationRetry(string? migrationId, string destinationKind, string objectType, string method, string reason, bool throttled)
    {
        var tags = CallTags(migrationId, destinationKind, objectType, method, TelemetryNames.Reason, reason);
        _callRetries.Add(1, tags);
        if (throttled)
        {
            _throttled.Add(1, tags);
        }
    }

    private static TagList Tags(string? migrationId, string objectType, string destinationKind) => new()
    {
        { TelemetryNames.MigrationId, migrationId ?? string.Empty },
        { TelemetryNames.ObjectType, objectType },
        { TelemetryNames.DestinationKind, destinationKind },
    };

    /// <summary>A call's tags: the migration, object type and destination, the method, and how it went.</summary>
    private static TagList CallTags(string? migrationId, string destinationKind, string objectType, string method, string key, string value)
    {
        var tags = Tags(migrationId, objectType, destinationKind);
        tags.Add(TelemetryNames.Method, method);
        tags.Add(key, value);
        return tags;
    }

    private static void Add(Counter<long> counter, long value, in TagList tags)
    {
        if (value > 0)
        {
            counter.Add(value, tags);
        }
    }
}

/// <summary>What one load batch did with its records, for <see cref="FlitMetrics.BatchLoaded"/>.</summary>
/// <param name="Read">Records in the batch.</param>
/// <param name="Written">Created or updated.</param>
/// <param name="Failed">Failed or in conflict.</param>
/// <param name="Retried">Records of a retry-pass batch.</param>
public sealed record BatchCounts(long Read, long Written, long Failed, long Retried);
