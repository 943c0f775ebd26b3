using Flit.Activities.Planning;
using Flit.Core.Mapping;
using System.Text.Json;
using Flit.Activities.Loading;
using Flit.Activities.Partitioning;
using Flit.Core.Destinations;
using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Core.Workflow;

namespace Flit.Activities.Reporting;

/// <summary>The reconciliation: counts per object, presence in the destination by external id, and the diff.</summary>
/// <param name="MigrationId">The migration reconciled.</param>
/// <param name="SpecHash">The hash of the approved mapping the run used.</param>
/// <param name="At">When the reconciliation ran.</param>
/// <param name="Objects">Counts per source object.</param>
/// <param name="Presence">Per object, how many written records the destination holds by external id.</param>
/// <param name="Diff">The field-level differences found in the sample read back.</param>
/// <param name="Warnings">The first warnings of the run (the full list is in report.csv), <paramref name="WarningCount"/> in all.</param>
/// <param name="Sources">Per source file, how every row read was accounted for.</param>
/// <param name="WarningCount">How many warnings the run raised in all.</param>
/// <param name="Removed">A delta pass's: per object, the migration's records whose rows its export no longer has.</param>
public sealed record Reconciliation(
    string MigrationId,
    string SpecHash,
    DateTimeOffset At,
    IReadOnlyList<ObjectCounts> Objects,
    IReadOnlyList<PresenceCheck> Presence,
    IReadOnlyList<FieldDifference> Diff,
    IReadOnlyList<RecordWarning> Warnings,
    IReadOnlyList<SourceAccounting>? Sources = null,
    long WarningCount = 0,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RemovedRecords>? Removed = null);

/// <summary>How many records the ID map says were written, and how many the destination holds by external id; the
/// first missing external ids are listed (<see cref="Expected"/> − <see cref="Found"/> in all).</summary>
public sealed record PresenceCheck(string SourceObject, string TargetModel, long Expected, long Found, IReadOnlyList<string> MissingExternalIds);

/// <summary>
/// Checks the run against the destination: counts per object (source, created, updated, failed, skipped), every
/// loaded record looked up by external id, and a field-level diff of a sample read back against what the mapping
/// says it should hold.
/// </summary>
public sealed class ReconcileActivity(
    IStagingStore store,
    IIdMap idMap,
    IDestination destination,
    IMappingSource mappings,
    TimeProvider time)
{
    /// <summary>Records per object whose fields are read back and compared.</summary>
    internal const int DiffSamplePerObject = 10;

    /// <summary>External ids looked up per call (a destination may make two of it: Odoo looks the xmlids up, then reads
    /// the records): well under one call per thousand records, and a chunk held at a time.</summary>
    private const int ReadBackChunk = 5000;

    /// <summary>Missing external ids and warnings listed in the reconciliation (the counts are always exact).</summary>
    private const int ListedMissing = 1000;

    private const int ListedWarnings = 1000;

    public async Task<ReconcileResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migrationId = input.Request.MigrationId;
        var specHash = input.SpecHash ?? throw new ArgumentException("Reconcile needs the approved spec hash.", nameof(input));
        var mapping = await mappings.GetAsync(input.Request, specHash, cancellationToken);
        var outcomes = RunPaths.Outcomes(migrationId, input.Run);

        // One pass over the outcomes, holding per destination model only a chunk of external ids to look up (the
        // source objects a model receives are looked up together), and per object its diff sample.
        var tally = new OutcomeTally();
        var presence = new Dictionary<string, PresenceChunk>(StringComparer.Ordinal);
        var counts = new Dictionary<(string Object, string Model), PresenceCount>();
        var samples = new Dictionary<(string Object, string Model), FirstInOrder<(BatchOutcomeFile Batch, RecordOutcome Record)>>();
        var removed = input.Request.Mode == RunMode.Delta ? new RemovedAtSource() : null;
        await foreach (var (batch, record) in RunOutcomes.FinalAsync(store, outcomes, cancellationToken))
        {
            tally.Add(batch, record);
            removed?.Read(batch.SourceObject, record.SourceId);
            if (record.Fate is not (RecordFate.Created or RecordFate.Updated or RecordFate.Unchanged) || record.ExternalId is null)
            {
                continue;
            }

            var key = (batch.SourceObject, batch.TargetModel);
            var count = counts.TryGetValue(key, out var existing) ? existing : counts[key] = new PresenceCount();
            var chunk = presence.TryGetValue(batch.TargetModel, out var pending) ? pending : presence[batch.TargetModel] = new PresenceChunk();
            chunk.Add(record.ExternalId, count);
            if (chunk.Count >= ReadBackChunk)
            {
                await CheckPresenceAsync(batch.TargetModel, chunk, [], cancellationToken);
            }

            // The sample is each object's first records by file and line, wherever the partition put them.
            var sample = samples.TryGetValue(key, out var first) ? first : samples[key] = new(DiffSamplePerObject, BySourcePlace);
            sample.Add((batch, record));
        }

        var checks = new List<PresenceCheck>();
        var diff = new List<FieldDifference>();
        foreach (var (model, chunk) in presence)
        {
            // The model's diff samples go with its last lookup: a destination that looks ids up before reading them
            // (Odoo's xmlids) then reads the sample without looking them up again.
            var modelSamples = samples.Where(s => s.Key.Model == model).SelectMany(s => s.Value.Items).ToList();
            await CheckPresenceAsync(model, chunk, [.. modelSamples.Select(s => s.Record.ExternalId!)], cancellationToken);
            foreach (var ((sourceObject, _), count) in counts.Where(c => c.Key.Model == model))
            {
                checks.Add(new PresenceCheck(sourceObject, model, count.Expected, count.Found, count.Missing));
            }

            diff.AddRange(await DiffSampleAsync(migrationId, mapping, model, modelSamples, cancellationToken));
        }

        var warnings = new List<RecordWarning>();
        long warningCount = 0;
        await foreach (var warning in RunOutcomes.WarningsAsync(store, outcomes, cancellationToken))
        {
            if (warningCount++ < ListedWarnings)
            {
                warnings.Add(warning);
            }
        }

        var objects = tally.Counts();
        var gone = removed is null ? null : await removed.FindAsync(idMap, migrationId, mapping.Objects.Select(o => o.Key), cancellationToken);
        var reconciliation = new Reconciliation(migrationId, specHash, time.GetUtcNow(), objects, checks, diff, warnings, tally.Accounting(), warningCount, gone);
        var path = RunPaths.Report(input, "reconciliation.json");
        await store.WriteJsonAsync(path, reconciliation, cancellationToken);

        return new ReconcileResult(
            path,
            objects.Sum(c => c.Source),
            objects.Sum(c => c.Created),
            objects.Sum(c => c.Updated),
            objects.Sum(c => c.Failed),
            objects.Sum(c => c.Skipped),
            diff.Count(d => !d.Matches) + (int)checks.Sum(p => p.Expected - p.Found),
            objects.Sum(c => c.Unchanged),
            objects.Sum(c => c.Conflicts),
            gone?.Sum(r => r.Count) ?? 0);
    }

    private static readonly Comparer<(BatchOutcomeFile Batch, RecordOutcome Record)> BySourcePlace = Comparer<(BatchOutcomeFile Batch, RecordOutcome Record)>.Create(
        (a, b) => string.CompareOrdinal(a.Record.File, b.Record.File) is var byFile and not 0 ? byFile : a.Record.Line.CompareTo(b.Record.Line));

    /// <summary>Looks the chunk's external ids up in the destination in one read-back (with <paramref name="alongside"/>,
    /// which are not counted) and credits each object with what it found.</summary>
    private async Task CheckPresenceAsync(string model, PresenceChunk chunk, IReadOnlyCollection<string> alongside, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        var wanted = chunk.Pending.Select(p => p.ExternalId).Concat(alongside).Distinct(StringComparer.Ordinal).ToList();
        var back = await destination.ReadBackAsync(model, wanted, [], cancellationToken);
        var present = back.Select(b => b.ExternalId).ToHashSet(StringComparer.Ordinal);
        foreach (var (externalId, count) in chunk.Pending)
        {
            count.Expected++;
            if (present.Contains(externalId))
            {
                count.Found++;
            }
            else if (count.Missing.Count < ListedMissing)
            {
                count.Missing.Add(externalId);
            }
        }

        chunk.Pending.Clear();
    }

    /// <summary>External ids of one destination model not looked up yet, each with the object it counts for.</summary>
    private sealed class PresenceChunk
    {
        public List<(string ExternalId, PresenceCount Count)> Pending { get; } = new(ReadBackChunk);

        public int Count => Pending.Count;

        public void Add(string externalId, PresenceCount count) => Pending.Add((externalId, count));
    }

    /// <summary>One object's presence totals as the check goes, with the first missing external ids.</summary>
    private sealed class PresenceCount
    {
        public List<string> Missing { get; } = [];

        public long Expected { get; set; }

        public long Found { get; set; }
    }

    private async Task<List<FieldDifference>> DiffSampleAsync(
        string migrationId,
        ICompiledMapping mapping,
        string model,
        List<(BatchOutcomeFile Batch, RecordOutcome Record)> sample,
        CancellationToken cancellationToken)
    {
        var expected = new List<(RecordOutcome Outcome, DestinationRecord Record)>();
        foreach (var batch in sample.GroupBy(s => s.Batch.BatchId))
        {
            var first = batch.First().Batch;
            var path = RunPaths.Batch(migrationId, first.Phase, first.SourceObject, first.BatchId, first.IsRetry);
            IReadOnlyList<SourceRecord> records;
            await using (var stream = await store.OpenReadAsync(path, cancellationToken))
            {
                records = await BatchFile.ReadAsync(stream, cancellationToken);
            }

            var byId = records.ToDictionary(r => r.SourceId, StringComparer.Ordinal);
            foreach (var (_, outcome) in batch)
            {
                if (byId.TryGetValue(outcome.SourceId, out var source) && mapping.Map(first.SourceObject, source).Record is { } mapped)
                {
                    expected.Add((outcome, mapped));
                }
            }
        }

        if (expected.Count == 0)
        {
            return [];
        }

        var parents = await ParentLookup.LoadAsync(idMap, migrationId, expected.Select(e => e.Record), cancellationToken);
        var fields = expected.SelectMany(e => e.Record.Values.Keys).Concat(expected.SelectMany(e => e.Record.References.Select(r => r.Field)))
            .Distinct(StringComparer.Ordinal).ToList();
        var back = (await destination.ReadBackAsync(model, [.. expected.Select(e => e.Record.ExternalId)], fields, cancellationToken))
            .ToDictionary(b => b.ExternalId, StringComparer.Ordinal);
        var differences = new List<FieldDifference>();
        foreach (var (outcome, record) in expected)
        {
            back.TryGetValue(record.ExternalId, out var actual);
            foreach (var (field, value) in ExpectedValues(record, parents))
            {
                object? actualValue = null;
                actual?.Values.TryGetValue(field, out actualValue);
                differences.Add(new FieldDifference(
                    record.SourceObject, record.SourceId, outcome.File, outcome.Line, record.ExternalId, field,
                    FieldDiff.Normalize(value), actual is null ? "(record not found)" : FieldDiff.Normalize(actualValue),
                    actual is not null && FieldDiff.Matches(value, actualValue)));
            }
        }

        return differences;
    }

    /// <summary>Expected values: scalars as mapped; links as the destination ids the ID map holds. Lookup markers
    /// (stages, owners) and file contents are resolved by the load — with a file's type and name, which its content
    /// decides — so they are left out of the diff.</summary>
    private static IEnumerable<(string Field, object? Value)> ExpectedValues(DestinationRecord record, ParentLookup parents)
    {
        var typed = record.Values.Values.OfType<FileContent>().SelectMany(f => new[] { f.TypeField, f.NameField }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (field, value) in record.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (value is not NamedLookup and not UserLookup and not FileContent && !typed.Contains(field))
            {
                yield return (field, value);
            }
        }

        foreach (var reference in record.References)
        {
            if (parents.Find(reference) is { } parent)
            {
                yield return (reference.Field, parent.DestinationId);
            }
        }
    }
}
