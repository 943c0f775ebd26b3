using System.IO.Hashing;
using System.Text;
using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Core.Workflow;

namespace Flit.Activities.Partitioning;

/// <summary>Where a writer's batches go and what they are: the mapping key they load as (or, for rows a rule leaves
/// out, the layout object they were read from), the model and phase, and the layout object for the accounting.</summary>
/// <remarks><see cref="Variant"/> keeps the batch ids of several writers of one key apart (skips of different rules).
/// <see cref="Unchanged"/> batches hold a delta pass's unchanged rows, <see cref="BatchWriter.UnchangedRowsPerBatch"/> a
/// batch (nothing is sent for them).</remarks>
internal sealed record BatchTarget(string Key, string TargetModel, int Phase, string LayoutObject, bool Derived, string? GroupByColumn, RecordIssue? Skip = null, string? Variant = null, bool Unchanged = false);

/// <summary>
/// Writes the records of one object into batch files as they come. A bucket is chosen by the parent's id so siblings
/// stay together (one worker never races another over a parent); a full bucket is written out at once. Buckets hold
/// their rows as batch lines (compact UTF-8), and all of them together at most <see cref="BufferedBytes"/>: past it,
/// the largest is written out early. So memory is bounded by the budget, never by the size of the object. What is
/// left at the end is packed into full batches (a bucket stays whole), so a small object is a few calls rather than
/// one per bucket.
/// </summary>
/// <param name="store">Where batch files go.</param>
/// <param name="request">The run (its batch size).</param>
/// <param name="target">What the batches are.</param>
/// <param name="bufferedBytes">The buckets' budget (<see cref="BufferedBytes"/>; tests give a small one).</param>
internal sealed class BatchWriter(IStagingStore store, MigrationRequest request, BatchTarget target, long bufferedBytes = BatchWriter.BufferedBytes)
{
    /// <summary>Batches per object are capped so the fan-out stays manageable for the orchestrator's history.</summary>
    internal const int MaxBuckets = IdBuckets.Count;

    /// <summary>An activity loads this many destination calls' worth of records, one call per request batch size.</summary>
    internal const int RecordsPerActivityInCalls = 4;

    /// <summary>Rows held by one writer's buckets at most, in bytes of batch lines (about 100,000 rows of 250 bytes;
    /// at that, a bucket written early holds about half a batch).</summary>
    internal const long BufferedBytes = 24L * 1024 * 1024;

    /// <summary>Rows of a batch of unchanged rows: they cost an outcome line each, no destination call; the outcome
    /// file the reconciliation and the report read one at a time stays a few MB.</summary>
    internal const int UnchangedRowsPerBatch = 20_000;

    private readonly BatchFile.BatchLines?[] _buckets = new BatchFile.BatchLines?[MaxBuckets];
    private readonly int[] _parts = new int[MaxBuckets];
    private readonly int _batchSize = target.Unchanged ? UnchangedRowsPerBatch : Math.Max(request.BatchSize, 1) * RecordsPerActivityInCalls;
    private readonly List<BatchWork> _batches = [];
    private long _buffered;

    public async Task AddAsync(SourceRecord record, CancellationToken cancellationToken)
    {
        var key = (target.GroupByColumn is null ? null : record[target.GroupByColumn]) ?? record.SourceId;
        var index = IdBuckets.Of(key);
        var bucket = _buckets[index] ??= new BatchFile.BatchLines();
        var before = bucket.Bytes;
        bucket.Add(record);
        _buffered += bucket.Bytes - before;
        if (bucket.Count >= _batchSize)
        {
            await WriteBucketAsync(index, cancellationToken);
        }
        else if (_buffered > bufferedBytes)
        {
            await WriteBucketAsync(Largest(), cancellationToken);
        }
    }

    public async Task<List<BatchWork>> CompleteAsync(CancellationToken cancellationToken)
    {
        var packed = new List<BatchFile.BatchLines>();
        var count = 0;
        var part = 0;
        foreach (var rest in _buckets)
        {
            if (rest is not { Count: > 0 })
            {
                continue;
            }

            if (count > 0 && count + rest.Count > _batchSize)
            {
                _batches.Add(await WriteAsync($"{MaxBuckets:D3}-{part++:D4}", packed, cancellationToken));
                packed.ForEach(p => p.Dispose());
                packed.Clear();
                count = 0;
            }

            packed.Add(rest);
            count += rest.Count;
        }

        if (count > 0)
        {
            _batches.Add(await WriteAsync($"{MaxBuckets:D3}-{part:D4}", packed, cancellationToken));
        }

        packed.ForEach(p => p.Dispose());
        Array.Clear(_buckets);
        _buffered = 0;
        return _batches;
    }

    private int Largest()
    {
        var largest = 0;
        for (var i = 1; i < MaxBuckets; i++)
        {
            if ((_buckets[i]?.Bytes ?? 0) > (_buckets[largest]?.Bytes ?? 0))
            {
                largest = i;
            }
        }

        return largest;
    }

    private async Task WriteBucketAsync(int index, CancellationToken cancellationToken)
    {
        using var bucket = _buckets[index]!;
        _buckets[index] = null;
        _buffered -= bucket.Bytes;
        _batches.Add(await WriteAsync($"{index:D3}-{_parts[index]++:D4}", [bucket], cancellationToken));
    }

    private async Task<BatchWork> WriteAsync(string suffix, List<BatchFile.BatchLines> buckets, CancellationToken cancellationToken)
    {
        var batchId = target.Variant is { } variant ? $"{target.Phase}-{target.Key}-{variant}-{suffix}" : $"{target.Phase}-{target.Key}-{suffix}";
        var path = RunPaths.Batch(request.MigrationId, target.Phase, target.Key, batchId, retry: false);
        await using (var stream = await store.OpenWriteAsync(path, cancellationToken))
        {
            // Each bucket's lines begin with their schema's header, so buckets concatenate into one batch file.
            foreach (var bucket in buckets)
            {
                await stream.WriteAsync(bucket.Content, cancellationToken);
            }

            await stream.CommitAsync(cancellationToken);
        }

        return new BatchWork(batchId, target.Key, target.TargetModel, target.Phase, path, buckets.Sum(b => b.Count), false, target.Skip, target.LayoutObject, target.Derived, target.Unchanged);
    }

    internal static ulong StableHash(string value) => IdBuckets.Hash(value);
}
