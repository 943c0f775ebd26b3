using System.IO.Hashing;
using System.Text;
using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Core.Workflow;

namespace Flit.Activities.Partitioning;

/// <summary>Where a writer's batches go and what they are: the mapping key they load as (or, for rows a rule leaves
/// out, the layout object they were read from), the model and phase, and the layout object for the accounting.</summary>
/// <remarks><see cref="Variant"/> keeps the batch ids of several writers of one key apart (skips of different rules).</remarks>
internal sealed record BatchTarget(string Key, string TargetModel, int Phase, string LayoutObject, bool Derived, string? GroupByColumn, RecordIssue? Skip = null, string? Variant = null);

/// <summary>
/// Writes the records of one object into batch files as they come. A bucket is chosen by the parent's id so siblings
/// stay together (one worker never races another over a parent); a full bucket is written out at once, so memory
/// holds at most one bucket's worth per bucket, never the whole object. What is left at the end is packed into full
/// batches (a bucket stays whole), so a small object is a few calls rather than one per bucket.
/// </summary>
internal sealed class BatchWriter(IStagingStore store, MigrationRequest request, BatchTarget target)
{
    /// <summary>Batches per object are capped so the fan-out stays manageable for the orchestrator's history.</summary>
    internal const int MaxBuckets = 256;

    /// <summary>An activity loads this many destination calls' worth of records, one call per request batch size.</summary>
    internal const int RecordsPerActivityInCalls = 4;

    private readonly List<SourceRecord>?[] _buckets = new List<SourceRecord>?[MaxBuckets];
    private readonly int[] _parts = new int[MaxBuckets];
    private readonly int _batchSize = Math.Max(request.BatchSize, 1) * RecordsPerActivityInCalls;
    private readonly List<BatchWork> _batches = [];

    public async Task AddAsync(SourceRecord record, CancellationToken cancellationToken)
    {
        var key = (target.GroupByColumn is null ? null : record[target.GroupByColumn]) ?? record.SourceId;
        var index = (int)(StableHash(key) % MaxBuckets);
        var bucket = _buckets[index] ??= [];
        bucket.Add(record);
        if (bucket.Count >= _batchSize)
        {
            _batches.Add(await WriteAsync($"{index:D3}-{_parts[index]++:D4}", bucket, cancellationToken));
            bucket.Clear();
        }
    }

    public async Task<List<BatchWork>> CompleteAsync(CancellationToken cancellationToken)
    {
        var packed = new List<SourceRecord>(_batchSize);
        var part = 0;
        foreach (var rest in _buckets)
        {
            if (rest is not { Count: > 0 })
            {
                continue;
            }

            if (packed.Count > 0 && packed.Count + rest.Count > _batchSize)
            {
                _batches.Add(await WriteAsync($"{MaxBuckets:D3}-{part++:D4}", packed, cancellationToken));
                packed = new List<SourceRecord>(_batchSize);
            }

            packed.AddRange(rest);
        }

        if (packed.Count > 0)
        {
            _batches.Add(await WriteAsync($"{MaxBuckets:D3}-{part:D4}", packed, cancellationToken));
        }

        return _batches;
    }

    private async Task<BatchWork> WriteAsync(string suffix, List<SourceRecord> records, CancellationToken cancellationToken)
    {
        var batchId = target.Variant is { } variant ? $"{target.Phase}-{target.Key}-{variant}-{suffix}" : $"{target.Phase}-{target.Key}-{suffix}";
        var path = RunPaths.Batch(request.MigrationId, target.Phase, target.Key, batchId, retry: false);
        await using (var stream = await store.OpenWriteAsync(path, cancellationToken))
        {
            await BatchFile.WriteAsync(stream, records, cancellationToken);
        }

        return new BatchWork(batchId, target.Key, target.TargetModel, target.Phase, path, records.Count, false, target.Skip, target.LayoutObject, target.Derived);
    }

    internal static ulong StableHash(string value) => XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(value));
}
