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
public sealed record Reconciliation(
    string MigrationId,
    string SpecHash,
    DateTimeOffset At,
    IReadOnlyList<ObjectCounts> Objects,
    IReadOnlyList<PresenceCheck> Presence,
    IReadOnlyList<FieldDifference> Diff,
    IReadOnlyList<RecordWarning> Warnings,
    IReadOnlyList<SourceAccounting>? Sources = null);

/// <summary>How many records the ID map says were written, and how many the destination holds by external id.</summary>
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

    private const int ReadBackChunk = 500;

    public async Task<ReconcileResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migrationId = input.Request.MigrationId;
        var specHash = input.SpecHash ?? throw new ArgumentException("Reconcile needs the approved spec hash.", nameof(input));
        var mapping = await mappings.GetAsync(input.Request, specHash, cancellationToken);
        var outcomes = await RunOutcomes.ReadAsync(store, RunPaths.Outcomes(migrationId, input.Run), cancellationToken);
        var counts = outcomes.Counts();

        var presence = new List<PresenceCheck>();
        var diff = new List<FieldDifference>();
        foreach (var group in outcomes.Final
            .Where(f => f.Record.Fate is RecordFate.Created or RecordFate.Updated or RecordFate.Unchanged)
            .GroupBy(f => (f.Batch.SourceObject, f.Batch.TargetModel)))
        {
            var loaded = group.Select(g => g.Record).ToList();
            presence.Add(await CheckPresenceAsync(group.Key.SourceObject, group.Key.TargetModel, loaded, cancellationToken));
            diff.AddRange(await DiffSampleAsync(migrationId, mapping, group.Key.TargetModel, group.Select(g => g).Take(DiffSamplePerObject).ToList(), cancellationToken));
        }

        var reconciliation = new Reconciliation(migrationId, specHash, time.GetUtcNow(), counts, presence, diff, outcomes.Warnings, outcomes.Accounting());
        var path = RunPaths.Report(migrationId, "reconciliation.json");
        await store.WriteJsonAsync(path, reconciliation, cancellationToken);

        return new ReconcileResult(
            path,
            counts.Sum(c => c.Source),
            counts.Sum(c => c.Created),
            counts.Sum(c => c.Updated),
            counts.Sum(c => c.Failed),
            counts.Sum(c => c.Skipped),
            diff.Count(d => !d.Matches) + presence.Sum(p => p.MissingExternalIds.Count),
            counts.Sum(c => c.Unchanged));
    }

    private async Task<PresenceCheck> CheckPresenceAsync(string sourceObject, string model, List<RecordOutcome> loaded, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        long found = 0;
        foreach (var chunk in loaded.Select(l => l.ExternalId!).Chunk(ReadBackChunk))
        {
            var back = await destination.ReadBackAsync(model, chunk, [], cancellationToken);
            var present = back.Select(b => b.ExternalId).ToHashSet(StringComparer.Ordinal);
            found += present.Count;
            missing.AddRange(chunk.Where(id => !present.Contains(id)));
        }

        return new PresenceCheck(sourceObject, model, loaded.Count, found, missing);
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
