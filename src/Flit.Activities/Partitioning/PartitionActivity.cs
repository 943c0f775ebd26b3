using Flit.Activities.Planning;
using Flit.Activities.Sources;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Core.Workflow;
using Flit.Sources.Layouts;

namespace Flit.Activities.Partitioning;

/// <summary>
/// Splits the export into batch files, phase by phase. Every row read ends in a batch: rows that load go to their
/// entry's batches (records sharing a parent in one batch, so parallel workers never write the same parent at once);
/// rows a rule of the spec leaves out — a filter, a merge into an earlier row, a repeated source id, an object that is
/// not migrated — go to skip batches, which the load reports row by row with the rule. So the report accounts for
/// every row of every object of the layout. In sample mode it takes a representative slice closed over its links
/// (<see cref="SampleSelection"/>), and only that. In a delta pass, a row whose source digest is the one the migration
/// last wrote goes to an unchanged batch instead, with its id and place only: it is counted, not mapped or sent.
/// </summary>
public sealed class PartitionActivity(IStagingStore store, IStagedExports staged, IMappingSource mappings, IIdMap idMap)
{
    public async Task<LoadPlan> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var mapping = await mappings.GetAsync(request, input.SpecHash ?? throw new ArgumentException("Partition needs the approved spec hash.", nameof(input)), cancellationToken);
        var spec = await StagedMappingSource.LoadProposedAsync(store, request.MigrationId, cancellationToken);
        var batches = request.Mode != RunMode.Sample
            ? await PartitionAllAsync(input, spec, mapping, cancellationToken)
            : await PartitionSampleAsync(new JoinedExports(staged, spec), request, mapping, cancellationToken);

        batches = await MarkFirstWritesAsync(request.MigrationId, batches, cancellationToken);
        var phases = batches.GroupBy(b => b.Phase).OrderBy(g => g.Key).Select(g => new PhasePlan(g.Key, [.. g])).ToList();
        return new LoadPlan(phases, batches.Where(b => b.Skip is null).Sum(b => (long)b.Records), batches.Where(b => b.Skip is not null).Sum(b => (long)b.Records));
    }

    /// <summary>The batches of objects the ID map holds nothing of (a first run): one question per object, the first
    /// page of its digests (empty in a first run, so one call).</summary>
    private async Task<List<BatchWork>> MarkFirstWritesAsync(string migrationId, List<BatchWork> batches, CancellationToken cancellationToken)
    {
        var empty = new HashSet<string>(StringComparer.Ordinal);
        foreach (var objectType in batches.Where(b => b.Skip is null && !b.Unchanged).Select(b => b.SourceObject).Distinct(StringComparer.Ordinal))
        {
            await using var entries = idMap.ListSourceDigestsAsync(migrationId, objectType, cancellationToken).GetAsyncEnumerator(cancellationToken);
            if (!await entries.MoveNextAsync())
            {
                empty.Add(objectType);
            }
        }

        return [.. batches.Select(b => empty.Contains(b.SourceObject) && b.Skip is null && !b.Unchanged ? b with { FirstWrite = true } : b)];
    }

    /// <summary>Every object of the layout, each read once: its rows dispatched to the entries that load them, the
    /// rest to skip batches with the rule that leaves them out. Objects are split independently (each with its own
    /// joins and writers), as many at once as there are cores; the batches come out in the layout's order.</summary>
    private async Task<List<BatchWork>> PartitionAllAsync(ActivityInput input, MappingSpec spec, ICompiledMapping mapping, CancellationToken cancellationToken)
    {
        var objects = SourceLayouts.Get(spec.Source).Objects.ToList();
        var results = new List<BatchWork>[objects.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, objects.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, async (i, token) =>
            results[i] = await PartitionObjectAsync(new JoinedExports(staged, spec), input, objects[i], spec, mapping, token));
        return [.. results.SelectMany(r => r)];
    }

    private async Task<List<BatchWork>> PartitionObjectAsync(JoinedExports exports, ActivityInput input, Core.Sources.ObjectLayout layoutObject, MappingSpec spec, ICompiledMapping mapping, CancellationToken cancellationToken)
    {
        var request = input.Request;
        var plans = mapping.Objects.Where(p => p.SourceObject == layoutObject.Name).ToList();
        var entries = plans.Select(p => spec.Objects.First(o => o.Key == p.Key)).ToList();

        // Rows of an object another entry loads (companies computed from contacts' organisation) are that entry's
        // rows; the computed records are extra, read in a pass of their own.
        var primary = plans.Where((p, i) => entries[i].IdFrom is null).ToList();
        if (primary.Count == 0)
        {
            primary = plans;
        }

        var batches = await DispatchAsync(exports, input, layoutObject.Name, primary, entries, spec, cancellationToken);
        foreach (var derived in plans.Except(primary))
        {
            var writer = new BatchWriter(store, request, Target(derived, layoutObject.Name, derived: true));
            await foreach (var record in Distinct(exports.ReadAsync(request, layoutObject.Name, static _ => { }, cancellationToken), derived.DistinctBy!))
            {
                await writer.AddAsync(record, cancellationToken);
            }

            batches.AddRange(await writer.CompleteAsync(cancellationToken));
        }

        return batches;
    }

    private async Task<List<BatchWork>> DispatchAsync(JoinedExports exports, ActivityInput input, string layoutObject, List<ObjectPlan> plans, List<ObjectMapping> entries, MappingSpec spec, CancellationToken cancellationToken)
    {
        var request = input.Request;
        var writers = plans.Select(p => new BatchWriter(store, request, Target(p, layoutObject, derived: false))).ToList();
        var recorded = new List<Dictionary<UInt128, UInt128>?>();
        foreach (var plan in plans)
        {
            // A delta pass compares rows with what the migration last wrote; merged rows (one record per computed id)
            // always go to the load, which compares their mapped content.
            recorded.Add(request.Mode == RunMode.Delta && plan.DistinctBy is null ? await SourceDigests.RecordedAsync(idMap, request.MigrationId, plan.Key, cancellationToken) : null);
        }

        var unchanged = plans.Select((p, i) => recorded[i] is null ? null : new BatchWriter(store, request, Target(p, layoutObject, derived: false) with { GroupByColumn = null, Variant = "unchanged", Unchanged = true })).ToList();
        var distinct = plans.Select(p => p.DistinctBy is null ? null : new HashSet<string>(StringComparer.Ordinal)).ToList();
        var skips = new Dictionary<string, BatchWriter>(StringComparer.Ordinal);
        var seen = new HashSet<ulong>();
        // Skipped rows count with their object: in its entry's phase and model when it has one (an object that is not
        // migrated at all in the first phase: its batches send nothing and depend on nothing).
        var phase = plans.Count > 0 ? (int)plans[0].Phase : (int)LoadPhase.Companies;
        var model = plans.Count > 0 ? plans[0].TargetModel : string.Empty;
        var key = plans.Count == 1 ? plans[0].Key : layoutObject;
        BatchWriter Skip(RecordIssue rule) =>
            skips.TryGetValue(rule.Message, out var writer) ? writer
            : skips[rule.Message] = new BatchWriter(store, request, new BatchTarget(key, model, phase, layoutObject, false, null, rule, $"skip{skips.Count}"));

        var notMigrated = plans.Count == 0 ? NotMigratedRule(layoutObject, spec) : null;
        await foreach (var record in exports.ReadAsync(request, layoutObject, static _ => { }, cancellationToken))
        {
            if (notMigrated is not null)
            {
                await Skip(notMigrated).AddAsync(record, cancellationToken);
                continue;
            }

            var index = plans.FindIndex(p => p.Includes?.Invoke(record) ?? true);
            if (index < 0)
            {
                await Skip(FilterRule(entries)).AddAsync(record, cancellationToken);
                continue;
            }

            if (distinct[index] is { } ids)
            {
                // One destination record per computed id (pipeline stages of one name are one Odoo stage).
                var id = plans[index].DistinctBy!(record);
                if (string.IsNullOrEmpty(id) || !ids.Add(id))
                {
                    await Skip(MergeRule(entries[index], id)).AddAsync(record, cancellationToken);
                    continue;
                }
            }
            else if (!seen.Add(BatchWriter.StableHash(record.SourceId)))
            {
                // A repeated source id would overwrite the first row, or race it in a parallel batch: the first wins.
                await Skip(new RecordIssue(IssueKinds.DuplicateSourceId, null, $"an earlier row of {layoutObject} has the same source id; the first is loaded, this one is not (fix the export to load both).")).AddAsync(record, cancellationToken);
                continue;
            }

            if (recorded[index] is { } digests && digests.TryGetValue(SourceDigests.IdKey(record.SourceId), out var digest) && digest == SourceDigests.Compute(record, input.SpecHash!))
            {
                await unchanged[index]!.AddAsync(new SourceRecord(record.Schema, record.SourceId, [], record.Location), cancellationToken);
                continue;
            }

            await writers[index].AddAsync(record, cancellationToken);
        }

        var batches = new List<BatchWork>();
        foreach (var writer in writers.Concat(skips.Values).Concat(unchanged.OfType<BatchWriter>()))
        {
            batches.AddRange(await writer.CompleteAsync(cancellationToken));
        }

        return batches;
    }

    private static BatchTarget Target(ObjectPlan plan, string layoutObject, bool derived) =>
        new(plan.Key, plan.TargetModel, (int)plan.Phase, layoutObject, derived, plan.GroupByColumn);

    /// <summary>Why an object's rows are not loaded as records of their own: its entries' disclosures say it.</summary>
    private static RecordIssue NotMigratedRule(string layoutObject, MappingSpec spec)
    {
        var reasons = spec.Objects.Where(o => o.Source == layoutObject && o.Disclosure is not null).Select(o => $"{o.SeedRow} ({o.Disposition.ToString().ToLowerInvariant()}): {o.Disclosure}").ToList();
        return new RecordIssue(IssueKinds.SkippedByRule, null, reasons.Count > 0
            ? "not loaded as a record of its own — " + string.Join(" ", reasons)
            : $"the spec {spec.Pair} maps no entry onto {layoutObject}.");
    }

    private static RecordIssue FilterRule(IReadOnlyList<ObjectMapping> entries) =>
        new(IssueKinds.SkippedByRule, null, "only rows where " + string.Join(" or ", entries.Select(e => $"{e.Where} (as {e.Target})")) + " are loaded"
            + (entries.FirstOrDefault(e => e.Disclosure is not null)?.Disclosure is { } disclosure ? $" — {disclosure}" : "."));

    private static RecordIssue MergeRule(ObjectMapping entry, string? id) =>
        new(IssueKinds.SkippedByRule, null, string.IsNullOrEmpty(id)
            ? $"no {entry.IdFrom} to build the {entry.Target} record from."
            : $"merged into the earlier row with the same {entry.IdFrom}: one {entry.Target} record for all of them.");

    /// <summary>The sample: a slice of every entry, closed over its links, written like a full run's batches.</summary>
    private async Task<List<BatchWork>> PartitionSampleAsync(JoinedExports exports, MigrationRequest request, ICompiledMapping mapping, CancellationToken cancellationToken)
    {
        var selection = await SampleSelection.ChooseAsync(mapping.Objects, plan => Read(exports, request, plan, cancellationToken), request.SampleSize);
        var batches = new List<BatchWork>();
        foreach (var plan in mapping.Objects.OrderBy(o => o.Phase).ThenBy(o => o.Key, StringComparer.Ordinal))
        {
            var writer = new BatchWriter(store, request, Target(plan, plan.SourceObject, derived: false));
            await foreach (var record in selection.Of(plan, Read(exports, request, plan, cancellationToken)))
            {
                await writer.AddAsync(record, cancellationToken);
            }

            batches.AddRange(await writer.CompleteAsync(cancellationToken));
        }

        return batches;
    }

    /// <summary>An entry's records: its filter applied, one per computed id.</summary>
    private static IAsyncEnumerable<SourceRecord> Read(JoinedExports exports, MigrationRequest request, ObjectPlan plan, CancellationToken cancellationToken)
    {
        var records = exports.ReadAsync(request, plan.SourceObject, static _ => { }, cancellationToken);
        if (plan.Includes is { } includes)
        {
            records = records.Where(includes);
        }

        return plan.DistinctBy is { } distinctBy ? Distinct(records, distinctBy) : records;
    }

    /// <summary>One record per computed id (e.g. one company per distinct organisation name); memory grows with
    /// the distinct ids, not the rows.</summary>
    private static async IAsyncEnumerable<SourceRecord> Distinct(IAsyncEnumerable<SourceRecord> records, Func<SourceRecord, string?> idOf)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var record in records)
        {
            if (idOf(record) is { Length: > 0 } id && seen.Add(id))
            {
                yield return record;
            }
        }
    }
}
