using Flit.Activities.Planning;
using Flit.Core.Mapping;
using System.IO.Hashing;
using System.Text;
using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Core.Workflow;

namespace Flit.Activities.Partitioning;

/// <summary>
/// Splits each migrated object into batch files, phase by phase. Records that share a parent land in the same
/// batch (one worker), so parallel workers never write the same parent at once. In sample mode it takes a
/// representative slice that follows parent links, so the sample's children find their parents.
/// </summary>
public sealed class PartitionActivity(IStagingStore store, IStagedExports exports, IMappingSource mappings)
{
    /// <summary>Batches per object are capped so the fan-out stays manageable for the orchestrator's history.</summary>
    internal const int MaxBatchesPerObject = 256;

    /// <summary>An activity loads this many destination calls' worth of records, one call per request batch size.</summary>
    internal const int RecordsPerActivityInCalls = 4;

    public async Task<LoadPlan> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var mapping = await mappings.GetAsync(request, input.SpecHash ?? throw new ArgumentException("Partition needs the approved spec hash.", nameof(input)), cancellationToken);
        var sampled = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var phases = new SortedDictionary<int, List<BatchWork>>();
        long total = 0;

        foreach (var plan in mapping.Objects.OrderBy(o => o.Phase).ThenBy(o => o.Key, StringComparer.Ordinal))
        {
            var repeats = new List<SourceRecord>();
            var records = FirstOfEachId(Select(request, plan, sampled, cancellationToken), plan, repeats);
            var batches = await WriteBatchesAsync(request, plan, records, cancellationToken);
            if (repeats.Count > 0)
            {
                batches.Add(await WriteBatchAsync(request, plan, MaxBatchesPerObject + 1, 0, repeats, cancellationToken) with { Repeats = true });
            }

            total += batches.Sum(b => (long)b.Records);
            if (!phases.TryGetValue((int)plan.Phase, out var list))
            {
                phases[(int)plan.Phase] = list = [];
            }

            list.AddRange(batches);
        }

        return new LoadPlan([.. phases.Select(p => new PhasePlan(p.Key, p.Value))], total, 0);
    }

    private IEnumerable<SourceRecord> Select(MigrationRequest request, ObjectPlan plan, Dictionary<string, HashSet<string>> sampled, CancellationToken cancellationToken)
    {
        // Read problems are reported by the audit, which reads the same files; here they only cost a skip.
        var records = exports.Read(request, plan.SourceObject, static _ => { }, cancellationToken);
        if (plan.Includes is { } includes)
        {
            records = records.Where(includes);
        }

        if (plan.DistinctBy is { } distinctBy)
        {
            records = Distinct(records, distinctBy);
        }

        if (request.Mode == RunMode.Full)
        {
            return records;
        }

        var taken = sampled.TryGetValue(plan.Key, out var existing) ? existing : sampled[plan.Key] = new HashSet<string>(StringComparer.Ordinal);
        return TakeSample(records, plan, sampled, taken, request.SampleSize);
    }

    /// <summary>
    /// The first row of each source id goes to the load; a later row with the same id (two contacts exported under
    /// one id) would overwrite it or race it in a parallel batch, so it is set aside, to be reported with where the
    /// first one is. Memory grows by a hash per record, not by records.
    /// </summary>
    private static IEnumerable<SourceRecord> FirstOfEachId(IEnumerable<SourceRecord> records, ObjectPlan plan, List<SourceRecord> repeats)
    {
        if (plan.DistinctBy is not null)
        {
            return records;
        }

        return Filter();

        IEnumerable<SourceRecord> Filter()
        {
            var seen = new HashSet<ulong>();
            foreach (var record in records)
            {
                if (seen.Add(System.IO.Hashing.XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(record.SourceId.AsSpan()))))
                {
                    yield return record;
                }
                else
                {
                    repeats.Add(record);
                }
            }
        }
    }

    /// <summary>One record per computed id (e.g. one company per distinct organisation name); memory grows with
    /// the distinct ids, not the rows.</summary>
    private static IEnumerable<SourceRecord> Distinct(IEnumerable<SourceRecord> records, Func<SourceRecord, string?> idOf)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (idOf(record) is { Length: > 0 } id && seen.Add(id))
            {
                yield return record;
            }
        }
    }

    private static IEnumerable<SourceRecord> TakeSample(IEnumerable<SourceRecord> records, ObjectPlan plan, Dictionary<string, HashSet<string>> sampled, HashSet<string> taken, int size)
    {
        foreach (var record in records)
        {
            if (taken.Count >= size)
            {
                yield break;
            }

            // A child is eligible only when every parent it needs (of another object already sampled) is in the
            // sample; one with a sampled optional parent is preferred, so links show in the diff. Others are taken
            // by a stable hash of the id, so the slice spreads over the whole export, not just its head.
            var required = true;
            var linked = false;
            foreach (var (parentObject, parentId, isRequired) in plan.Parents?.Invoke(record) ?? [])
            {
                if (parentObject == plan.Key || !sampled.TryGetValue(parentObject, out var parents))
                {
                    continue;
                }

                var present = parents.Contains(parentId);
                linked |= present;
                required &= present || !isRequired;
            }

            var include = required && (linked || StableHash(record.SourceId) % 4 == 0 || taken.Count < size / 4);
            if (include && taken.Add(plan.DistinctBy?.Invoke(record) ?? record.SourceId))
            {
                yield return record;
            }
        }
    }

    private async Task<List<BatchWork>> WriteBatchesAsync(MigrationRequest request, ObjectPlan plan, IEnumerable<SourceRecord> records, CancellationToken cancellationToken)
    {
        // A bucket is chosen by the parent's id so siblings stay together; a full bucket is written out as one
        // batch file, so memory holds at most one bucket's worth of records per bucket, never the whole object.
        var buckets = new List<SourceRecord>?[MaxBatchesPerObject];
        var parts = new int[MaxBatchesPerObject];
        var batchSize = Math.Max(request.BatchSize, 1) * RecordsPerActivityInCalls;
        var batches = new List<BatchWork>();
        foreach (var record in records)
        {
            var key = (plan.GroupByColumn is null ? null : record[plan.GroupByColumn]) ?? record.SourceId;
            var index = (int)(StableHash(key) % MaxBatchesPerObject);
            var bucket = buckets[index] ??= [];
            bucket.Add(record);
            if (bucket.Count >= batchSize)
            {
                batches.Add(await WriteBatchAsync(request, plan, index, parts[index]++, bucket, cancellationToken));
                bucket.Clear();
            }
        }

        // What is left in the buckets is packed into full batches: a bucket stays whole (siblings together), but
        // small buckets share a batch, so a small object is a few calls rather than one per bucket.
        var packed = new List<SourceRecord>(batchSize);
        var part = 0;
        for (var index = 0; index < MaxBatchesPerObject; index++)
        {
            if (buckets[index] is not { Count: > 0 } rest)
            {
                continue;
            }

            if (packed.Count > 0 && packed.Count + rest.Count > batchSize)
            {
                batches.Add(await WriteBatchAsync(request, plan, MaxBatchesPerObject, part++, packed, cancellationToken));
                packed = new List<SourceRecord>(batchSize);
            }

            packed.AddRange(rest);
        }

        if (packed.Count > 0)
        {
            batches.Add(await WriteBatchAsync(request, plan, MaxBatchesPerObject, part, packed, cancellationToken));
        }

        return batches;
    }

    private async Task<BatchWork> WriteBatchAsync(MigrationRequest request, ObjectPlan plan, int bucket, int part, List<SourceRecord> records, CancellationToken cancellationToken)
    {
        var batchId = bucket > MaxBatchesPerObject ? $"{(int)plan.Phase}-{plan.Key}-repeats" : $"{(int)plan.Phase}-{plan.Key}-{bucket:D3}-{part:D4}";
        var path = RunPaths.Batch(request.MigrationId, (int)plan.Phase, plan.Key, batchId, retry: false);
        await using (var stream = await store.OpenWriteAsync(path, cancellationToken))
        {
            await BatchFile.WriteAsync(stream, records, cancellationToken);
        }

        return new BatchWork(batchId, plan.Key, plan.TargetModel, (int)plan.Phase, path, records.Count, false);
    }

    internal static ulong StableHash(string value) => XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(value));
}
