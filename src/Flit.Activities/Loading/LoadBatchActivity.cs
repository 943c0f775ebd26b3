using Flit.Activities.Planning;
using Flit.Core.Mapping;
using System.Text.Json;
using Flit.Activities.Partitioning;
using Flit.Core.Destinations;
using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Core.Sources;
using Flit.Core.Telemetry;
using Flit.Core.Values;
using Flit.Core.Workflow;
using Microsoft.Extensions.Logging;

namespace Flit.Activities.Loading;

/// <summary>
/// One batch: transform → resolve references through the ID map → upsert by external id → record the ID map →
/// write the batch's outcome file. Safe to run again after a crash: the upsert is by external id, so a repeated
/// call finds what the first one wrote instead of duplicating it.
/// </summary>
public sealed class LoadBatchActivity(
    IStagingStore store,
    IIdMap idMap,
    IDestination destination,
    IMappingSource mappings,
    TimeProvider time,
    ILogger<LoadBatchActivity> logger,
    FlitMetrics metrics)
{
    public async Task<BatchResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var started = time.GetTimestamp();
        var batch = input.Batch ?? throw new ArgumentException("LoadBatch needs a batch.", nameof(input));
        var migrationId = input.Request.MigrationId;
        var mapping = await mappings.GetAsync(input.Request, input.SpecHash ?? throw new ArgumentException("LoadBatch needs the approved spec hash.", nameof(input)), cancellationToken);

        IReadOnlyList<SourceRecord> records;
        await using (var stream = await store.OpenReadAsync(batch.BatchPath, cancellationToken))
        {
            records = await BatchFile.ReadAsync(stream, cancellationToken);
        }

        var outcomes = new List<RecordOutcome>(records.Count);
        if (batch.Skip is { } rule)
        {
            return Loaded(input, batch, records.Count, started, await ReportSkippedAsync(input, batch, rule, records, cancellationToken));
        }

        if (batch.Unchanged)
        {
            return Loaded(input, batch, records.Count, started, await ReportUnchangedAsync(input, batch, records, cancellationToken));
        }

        var mapped = new List<DestinationRecord>(records.Count);
        var warnings = new List<RecordWarning>();
        foreach (var record in records)
        {
            var result = mapping.Map(batch.SourceObject, record);
            foreach (var warning in result.Warnings ?? [])
            {
                warnings.Add(new RecordWarning(batch.SourceObject, record.SourceId, record.Location.File, record.Location.Line, warning.Kind, warning.Field, warning.Message));
            }

            if (result.Record is { } destinationRecord)
            {
                mapped.Add(destinationRecord);
            }
            else
            {
                var fate = result.Skip is null ? RecordFate.Failed : RecordFate.Skipped;
                outcomes.Add(Outcome(record.SourceId, record.Location, null, fate, null, result.Skip ?? result.Failure, false));
            }
        }

        // What this migration already wrote: an earlier run's record with the same content is left alone (a re-run
        // changes nothing, and never overwrites an edit made in the destination since); the ownership recorded at the
        // first write is kept by every later one.
        // A first write (the ID map held nothing of the object when the run was partitioned) has nothing to look up,
        // unless an attempt of this batch wrote before: every write is preceded by its pre-write snapshot.
        var earlier = await PreWriteSnapshots.ReadBatchAsync(store, migrationId, input.Run, batch.BatchId, cancellationToken);
        var known = batch.FirstWrite && !batch.IsRetry && earlier.Count == 0
            ? new Dictionary<string, IdMapEntry>(StringComparer.Ordinal)
            : await idMap.LookupAsync(migrationId, batch.SourceObject, [.. mapped.Select(r => r.SourceId).Distinct(StringComparer.Ordinal)], cancellationToken);
        var ownership = new Ownership(
            known,
            earlier,
            input.Run,
            records.DistinctBy(r => r.SourceId, StringComparer.Ordinal).ToDictionary(r => r.SourceId, r => SourceDigests.Of(r, input.SpecHash), StringComparer.Ordinal));
        mapped = [.. mapped.Where(record =>
        {
            if (ownership.Unchanged(record) is not { } entry)
            {
                return true;
            }

            outcomes.Add(Outcome(record.SourceId, record.Location, record.ExternalId, RecordFate.Unchanged, entry.DestinationId, null, false));
            return false;
        })];

        mapped = await SetAsideDestinationEditsAsync(input, batch, ownership, mapped, outcomes, cancellationToken);
        var lookups = await ReadLookupsAsync(migrationId, cancellationToken);

        // Rounds: records whose parent is in this batch (self-references, chains) load once the parent has, so a
        // chain of any depth resolves here. When a round loads nothing, what is left waits for the retry pass —
        // or, on the retry pass, loads without its optional links or fails.
        var pending = mapped;
        var resolvedWarnings = new List<RecordWarning>();
        var finalRound = false;
        while (pending.Count > 0)
        {
            var parents = await ParentLookup.LoadAsync(idMap, migrationId, pending, cancellationToken);
            var resolved = ReferenceResolver.Resolve(pending, parents.ByObject, lookups, finalAttempt: finalRound);
            var waiting = resolved.HeldBack.Where(h => h.MissingParent && !finalRound).Select(h => h.Record).ToList();

            // The first round snapshots the records waiting for a later one too: one lookup for the whole batch, and
            // pre-images no write of this batch has touched yet (Odoo copies a company's address into its contacts).
            await SnapshotAsync(input, batch, ownership, [.. resolved.Ready, .. waiting], cancellationToken);
            await UpsertAsync(input, batch, ownership, resolved.Ready, outcomes, resolvedWarnings, cancellationToken);
            foreach (var held in resolved.HeldBack.Where(h => !h.MissingParent || finalRound))
            {
                outcomes.Add(Outcome(held.Record.SourceId, held.Record.Location, held.Record.ExternalId, RecordFate.Failed, null, held.Reason, held.MissingParent));
            }

            if (resolved.Ready.Count == 0 && waiting.Count > 0)
            {
                if (!batch.IsRetry)
                {
                    foreach (var held in resolved.HeldBack.Where(h => h.MissingParent))
                    {
                        outcomes.Add(Outcome(held.Record.SourceId, held.Record.Location, held.Record.ExternalId, RecordFate.Failed, null, held.Reason, true));
                    }

                    break;
                }

                finalRound = true;
            }

            resolvedWarnings.AddRange(resolved.Warnings);
            pending = waiting;
        }

        warnings.AddRange(resolvedWarnings);
        var file = OutcomeFile(batch, outcomes, warnings);
        var path = RunPaths.Outcome(migrationId, input.Run, batch.BatchId);
        await store.WriteJsonAsync(path, file, JsonDefaults.Compact, cancellationToken);

        foreach (var refused in outcomes.Where(o => o.Fate is RecordFate.Failed or RecordFate.Conflict))
        {
            logger.RecordRefused(refused.SourceId, batch.TargetModel, refused.Kind ?? (refused.Fate == RecordFate.Conflict ? IssueKinds.DestinationEdited : IssueKinds.DestinationRefused), refused.Field, refused.MissingParent);
        }

        return Loaded(input, batch, records.Count, started, new BatchResult(
            batch.BatchId,
            outcomes.Count(o => o.Fate == RecordFate.Created),
            outcomes.Count(o => o.Fate == RecordFate.Updated),
            outcomes.Count(o => o.Fate == RecordFate.Failed),
            outcomes.Count(o => o.MissingParent),
            outcomes.Count(o => o.Fate == RecordFate.Skipped),
            path,
            outcomes.Count(o => o.Fate == RecordFate.Unchanged),
            outcomes.Count(o => o.Fate == RecordFate.Conflict)));
    }

    /// <summary>The batch's event and measurements: counts and wall time, tagged by migration, object and destination.</summary>
    private BatchResult Loaded(ActivityInput input, BatchWork batch, int records, long started, BatchResult result)
    {
        var elapsed = time.GetElapsedTime(started);
        logger.BatchLoaded(batch.TargetModel, records, result.Created, result.Updated, result.Unchanged, result.Failed, result.Conflicts, result.Skipped, (long)elapsed.TotalMilliseconds, batch.IsRetry);
        metrics.BatchLoaded(input.Request.MigrationId, batch.SourceObject, destination.Kind,
            new BatchCounts(records, result.Created + result.Updated, result.Failed + result.Conflicts, batch.IsRetry ? records : 0), elapsed);
        return result;
    }

    /// <summary>Rows a rule of the spec leaves out: each is accounted for as skipped, with the rule and where it is.</summary>
    private async Task<BatchResult> ReportSkippedAsync(ActivityInput input, BatchWork batch, RecordIssue rule, IReadOnlyList<SourceRecord> records, CancellationToken cancellationToken)
    {
        var outcomes = records.Select(r => Outcome(r.SourceId, r.Location, null, RecordFate.Skipped, null, rule with { Message = $"{r.Location}: {rule.Message}" }, false)).ToList();
        var path = RunPaths.Outcome(input.Request.MigrationId, input.Run, batch.BatchId);
        await store.WriteJsonAsync(path, OutcomeFile(batch, outcomes, []), JsonDefaults.Compact, cancellationToken);
        return new BatchResult(batch.BatchId, 0, 0, 0, 0, outcomes.Count, path);
    }

    /// <summary>A delta pass's rows that are as the migration last wrote them (the partition compared their digests):
    /// each is accounted for as unchanged, nothing is mapped or sent.</summary>
    private async Task<BatchResult> ReportUnchangedAsync(ActivityInput input, BatchWork batch, IReadOnlyList<SourceRecord> records, CancellationToken cancellationToken)
    {
        var outcomes = records.Select(r => Outcome(r.SourceId, r.Location, null, RecordFate.Unchanged, null, null, false)).ToList();
        var path = RunPaths.Outcome(input.Request.MigrationId, input.Run, batch.BatchId);
        await store.WriteJsonAsync(path, OutcomeFile(batch, outcomes, []), JsonDefaults.Compact, cancellationToken);
        return new BatchResult(batch.BatchId, 0, 0, 0, 0, 0, path, outcomes.Count);
    }

    /// <summary>
    /// File content sent per destination call at most: calls are cut by bytes as well as by count, so a batch of large
    /// attachments never holds more than this in memory, and the request stays well within what the destination takes
    /// (base64 adds a third; Odoo accepts request bodies up to 128 MiB). A record whose files alone exceed it goes in a
    /// call of its own.
    /// </summary>
    public const long FileBytesPerCall = 32L * 1024 * 1024;

    private async Task UpsertAsync(ActivityInput input, BatchWork batch, Ownership ownership, IReadOnlyList<DestinationRecord> ready, List<RecordOutcome> outcomes, List<RecordWarning> warnings, CancellationToken cancellationToken)
    {
        // Files are looked up for the whole round first (their names and sizes, not their content), then one
        // destination call per request batch size or file-byte cap; the ID map is written after each call so a crash
        // loses at most one call's worth of ID-map lines (and the upsert-by-external-id finds those records again).
        var sendable = new List<(DestinationRecord Record, IReadOnlyList<AttachedFile> Files)>(ready.Count);
        foreach (var candidate in ready)
        {
            if (await FindFilesAsync(input.Request.MigrationId, candidate, outcomes, warnings, cancellationToken) is { } found)
            {
                sendable.Add(found);
            }
        }

        var size = Math.Max(input.Request.BatchSize, 1);
        var call = new List<(DestinationRecord Record, IReadOnlyList<AttachedFile> Files)>(Math.Min(size, sendable.Count));
        long callBytes = 0;
        foreach (var found in sendable)
        {
            var bytes = found.Files.Sum(f => f.Length);
            if (call.Count > 0 && (call.Count == size || callBytes + bytes > FileBytesPerCall))
            {
                await SendAsync(input, batch, ownership, call, outcomes, warnings, cancellationToken);
                call.Clear();
                callBytes = 0;
            }

            call.Add(found);
            callBytes += bytes;
        }

        if (call.Count > 0)
        {
            await SendAsync(input, batch, ownership, call, outcomes, warnings, cancellationToken);
        }
    }

    /// <summary>One destination call: the files' content is read now, for this call only, and let go after it.</summary>
    private async Task SendAsync(ActivityInput input, BatchWork batch, Ownership ownership, List<(DestinationRecord Record, IReadOnlyList<AttachedFile> Files)> call, List<RecordOutcome> outcomes, List<RecordWarning> warnings, CancellationToken cancellationToken)
    {
        var chunk = new List<DestinationRecord>(call.Count);
        foreach (var (record, files) in call)
        {
            chunk.Add(files.Count == 0 ? record : await WithContentAsync(record, files, warnings, cancellationToken));
        }

        var upserts = await destination.UpsertAsync(batch.TargetModel, chunk, cancellationToken);
        outcomes.AddRange(await RecordUpsertsAsync(input, batch, ownership, chunk, upserts, warnings, cancellationToken));
    }

    /// <summary>
    /// Before the first write of a record by this migration, what the destination holds for it: absent (the run creates
    /// it) or its pre-image (the run updates it; rollback restores that). Stored before the write, so a crash in between
    /// loses neither; records the migration already wrote, or this run already snapshotted, are not asked again.
    /// </summary>
    private async Task SnapshotAsync(ActivityInput input, BatchWork batch, Ownership ownership, IReadOnlyList<DestinationRecord> chunk, CancellationToken cancellationToken)
    {
        var unknown = chunk.Where(ownership.NeedsSnapshot).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        var existing = await destination.SnapshotAsync(batch.TargetModel, unknown, cancellationToken);
        ownership.Learn(await PreWriteSnapshots.WriteAsync(store, input.Request.MigrationId, input.Run, batch.BatchId, [.. unknown.Select(r => r.ExternalId)], existing, cancellationToken));
    }

    /// <summary>
    /// Records an earlier run wrote whose content changed: their current values are snapshotted before this run writes
    /// them (its rollback restores them), and those someone edited in the destination since are set aside as
    /// conflicts — reported with both values, not written — unless the run overwrites destination edits. A resumed run
    /// decides from the snapshot its first try stored, so it decides the same.
    /// </summary>
    private async Task<List<DestinationRecord>> SetAsideDestinationEditsAsync(ActivityInput input, BatchWork batch, Ownership ownership, List<DestinationRecord> mapped, List<RecordOutcome> outcomes, CancellationToken cancellationToken)
    {
        var rewrites = mapped.Where(r => ownership.EarlierWrite(r) is not null).ToList();
        if (rewrites.Count == 0)
        {
            return mapped;
        }

        var current = new Dictionary<string, PreImage?>(StringComparer.Ordinal);
        var fresh = rewrites.Where(ownership.NeedsSnapshot).ToList();
        if (fresh.Count > 0)
        {
            var existing = await destination.SnapshotAsync(batch.TargetModel, fresh, cancellationToken);
            var entries = fresh.ToDictionary(r => r.ExternalId, r => ownership.EarlierWrite(r)!, StringComparer.Ordinal);
            ownership.Learn(await PreWriteSnapshots.WriteAsync(store, input.Request.MigrationId, input.Run, batch.BatchId, [.. fresh.Select(r => r.ExternalId)], existing, cancellationToken, entries));
            foreach (var record in fresh)
            {
                current[record.ExternalId] = existing.GetValueOrDefault(record.ExternalId);
            }
        }

        if (input.Request.OverwriteDestinationEdits)
        {
            return mapped;
        }

        var stored = new Dictionary<string, SnapshotFile>(StringComparer.Ordinal);
        var conflicts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in rewrites)
        {
            if (!current.TryGetValue(record.ExternalId, out var image))
            {
                var path = ownership.SnapshotPath(record);
                if (!stored.TryGetValue(path, out var file))
                {
                    stored[path] = file = await PreWriteSnapshots.ReadAsync(store, path, cancellationToken);
                }

                image = file.Existing.GetValueOrDefault(record.ExternalId);
            }

            var entry = ownership.EarlierWrite(record)!;
            if (DestinationEdits.Conflict(batch.TargetModel, record, entry, image) is { } conflict)
            {
                conflicts.Add(record.ExternalId);
                outcomes.Add(Outcome(record.SourceId, record.Location, record.ExternalId, RecordFate.Conflict, image is null ? null : entry.DestinationId, new RecordIssue(IssueKinds.DestinationEdited, null, conflict), false));
            }
        }

        return conflicts.Count == 0 ? mapped : [.. mapped.Where(r => !conflicts.Contains(r.ExternalId))];
    }

    private async Task<List<RecordOutcome>> RecordUpsertsAsync(
        ActivityInput input,
        BatchWork batch,
        Ownership ownership,
        IReadOnlyList<DestinationRecord> sent,
        IReadOnlyList<UpsertOutcome> upserts,
        List<RecordWarning> warnings,
        CancellationToken cancellationToken)
    {
        var byExternalId = sent.ToDictionary(r => r.ExternalId, StringComparer.Ordinal);
        var missing = sent.Select(r => r.ExternalId).Except(upserts.Select(u => u.ExternalId), StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The {destination.Kind} destination returned no outcome for {missing.Count} record(s) of batch {batch.BatchId}, e.g. '{missing[0]}'.");
        }

        var now = time.GetUtcNow();
        var entries = new List<IdMapEntry>(upserts.Count);
        var outcomes = new List<RecordOutcome>(upserts.Count);
        foreach (var upsert in upserts)
        {
            var record = byExternalId[upsert.ExternalId];
            var fate = RecordFate.Failed;
            if (upsert.Status != UpsertStatus.Failed && upsert.DestinationId is { } destinationId)
            {
                var (operation, preImage, reported) = ownership.Of(record);
                fate = reported;
                entries.Add(new IdMapEntry(record.SourceObject, record.SourceId, destinationId, record.ExternalId, operation, record.ContentHash, batch.BatchId, now, input.Run, preImage, DestinationEdits.WrittenDigest(record), ownership.SourceDigest(record)));
            }

            if (upsert.Warning is { } warning)
            {
                warnings.Add(RecordWarning.Of(record, warning));
            }

            var reason = fate == RecordFate.Failed
                ? new RecordIssue(upsert.MissingParent ? IssueKinds.MissingParent : IssueKinds.DestinationRefused, null, upsert.Error ?? "The destination refused the record without a message.")
                : null;
            outcomes.Add(Outcome(record.SourceId, record.Location, record.ExternalId, fate, upsert.DestinationId, reason, upsert.MissingParent));
        }

        if (entries.Count > 0)
        {
            await idMap.RecordAsync(input.Request.MigrationId, entries, cancellationToken);
        }

        return outcomes;
    }

    /// <summary>
    /// Whose a record is. A record belongs to the migration when the migration created it: known from its ID map
    /// (kept from the first write) or, before the first write is recorded, from the snapshot stored just before it.
    /// A record that existed before — under any external id, an earlier migration's included — is updated, never
    /// counted as created, so a rollback restores it instead of deleting it.
    /// </summary>
    /// <remarks>With each record's source digest, which the ID map keeps beside its ownership: what a later delta
    /// pass compares the row with.</remarks>
    private sealed class Ownership(IReadOnlyDictionary<string, IdMapEntry> known, Dictionary<string, PriorState> prior, string runId, IReadOnlyDictionary<string, string> sourceDigests)
    {
        public string? SourceDigest(DestinationRecord record) => sourceDigests.GetValueOrDefault(record.SourceId);

        /// <summary>The entry of an earlier run that wrote exactly this content, if any.</summary>
        public IdMapEntry? Unchanged(DestinationRecord record) =>
            known.TryGetValue(record.SourceId, out var entry) && entry.RunId != runId && entry.ContentHash == record.ContentHash ? entry : null;

        /// <summary>The ID map's entry when an earlier run wrote the record: this run rewrites it.</summary>
        public IdMapEntry? EarlierWrite(DestinationRecord record) =>
            known.TryGetValue(record.SourceId, out var entry) && entry.RunId != runId ? entry : null;

        /// <summary>Records this run has not snapshotted and that it did not write itself: new ones, and an earlier
        /// run's (their current values are what this run's rollback restores).</summary>
        public bool NeedsSnapshot(DestinationRecord record) =>
            !prior.ContainsKey(record.ExternalId) && (!known.TryGetValue(record.SourceId, out var entry) || entry.RunId != runId);

        /// <summary>The snapshot of this run holding the record's state before its write.</summary>
        public string SnapshotPath(DestinationRecord record) => prior[record.ExternalId].Path;

        public void Learn(Dictionary<string, PriorState> states)
        {
            foreach (var (externalId, state) in states)
            {
                prior.TryAdd(externalId, state);
            }
        }

        /// <summary>The operation the ID map keeps, the snapshot holding the pre-image, and the fate this run reports.</summary>
        public (IdMapOperation Operation, string? PreImagePath, RecordFate Reported) Of(DestinationRecord record)
        {
            if (known.TryGetValue(record.SourceId, out var entry))
            {
                // An earlier run's record written again is an update of this run, whoever created it; a resumed run
                // reports its own records as it first did: created when its snapshot found them absent.
                var createdByThisRun = entry.RunId == runId && entry.Operation == IdMapOperation.Created
                    && !(prior.TryGetValue(record.ExternalId, out var before) && before.Existed);
                var reported = createdByThisRun ? RecordFate.Created : RecordFate.Updated;
                return (entry.Operation, entry.PreImagePath, reported);
            }

            var state = prior.TryGetValue(record.ExternalId, out var s)
                ? s
                : throw new InvalidOperationException($"No snapshot was stored for {record.ExternalId} before it was written.");
            return state.Existed ? (IdMapOperation.Updated, state.Path, RecordFate.Updated) : (IdMapOperation.Created, null, RecordFate.Created);
        }
    }

    /// <summary>A file a record carries, found in the export: the value's field, the staged path and its size.</summary>
    private sealed record AttachedFile(string Field, FileContent File, string Path, long Length);

    /// <summary>
    /// Attachments travel as paths in batch files; here the record's files are found in the export, and their bytes
    /// are read only when the record's call is sent. A path that would leave the export folder is never read: the
    /// record loads without the file, with a warning. A file missing from the export fails the record (null).
    /// </summary>
    private async Task<(DestinationRecord Record, IReadOnlyList<AttachedFile> Files)?> FindFilesAsync(string migrationId, DestinationRecord record, List<RecordOutcome> outcomes, List<RecordWarning> warnings, CancellationToken cancellationToken)
    {
        if (!record.Values.Values.Any(v => v is FileContent))
        {
            return (record, []);
        }

        var values = new Dictionary<string, object?>(record.Values, StringComparer.Ordinal);
        var files = new List<AttachedFile>();
        foreach (var (field, value) in record.Values.Where(v => v.Value is FileContent))
        {
            var file = (FileContent)value!;
            if (ExportPaths.Check(file.RelativePath, out var unsafePath) is not { } relative)
            {
                values.Remove(field);
                warnings.Add(RecordWarning.Of(record, new RecordIssue(IssueKinds.FileProblem, field, $"{record.Location}: {field}: {unsafePath}; the record is loaded without the file.")));
                continue;
            }

            var path = $"{RunPaths.Exports(migrationId)}/{relative}";
            if (await store.LengthAsync(path, cancellationToken) is not { } length)
            {
                outcomes.Add(Outcome(record.SourceId, record.Location, record.ExternalId, RecordFate.Failed, null, new RecordIssue(IssueKinds.FileProblem, field, $"{record.Location}: {field}: the file '{relative}' is not in the export"), false));
                return null;
            }

            files.Add(new AttachedFile(field, file, path, length));
        }

        return (values.Count == record.Values.Count ? record : record with { Values = values }, files);
    }

    /// <summary>The record with its files' content (<see cref="FileBytes"/>). The content decides the file's type where
    /// its signature contradicts the declared one (reported), and a name without an extension gets the one its type
    /// implies.</summary>
    private async Task<DestinationRecord> WithContentAsync(DestinationRecord record, IReadOnlyList<AttachedFile> files, List<RecordWarning> warnings, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object?>(record.Values, StringComparer.Ordinal);
        foreach (var file in files)
        {
            var content = new byte[file.Length];
            await using (var stream = await store.OpenReadAsync(file.Path, cancellationToken))
            {
                await stream.ReadExactlyAsync(content, cancellationToken);
            }

            values[file.Field] = new FileBytes(content);
            Retype(record, file.File, content, values, warnings);
        }

        return record with { Values = values };
    }

    private static void Retype(DestinationRecord record, FileContent file, byte[] content, Dictionary<string, object?> values, List<RecordWarning> warnings)
    {
        var sniffed = ContentTypes.Sniff(content);
        var declared = file.TypeField is { } typeField ? values.GetValueOrDefault(typeField) as string : null;
        var type = ContentTypes.Decide(declared, sniffed, out var contradicted);
        if (file.TypeField is { } field)
        {
            values[field] = type;
            if (contradicted)
            {
                warnings.Add(RecordWarning.Of(record, new RecordIssue(IssueKinds.FileRetyped, field, $"{record.Location}: {field}: the export declares '{declared}' but the content of '{file.RelativePath}' is {type}; written as {type}.")));
            }
        }

        if (file.NameField is { } nameField && values.GetValueOrDefault(nameField) is string name && ContentTypes.WithExtension(name, type) is var named && named != name)
        {
            values[nameField] = named;
        }
    }

    private async Task<PrepareOutcome> ReadLookupsAsync(string migrationId, CancellationToken cancellationToken)
    {
        return await store.ReadJsonAsync<PrepareOutcome>(RunPaths.Lookups(migrationId), cancellationToken);
    }

    private static BatchOutcomeFile OutcomeFile(BatchWork batch, List<RecordOutcome> outcomes, List<RecordWarning> warnings) =>
        new(batch.BatchId, batch.SourceObject, batch.TargetModel, batch.Phase, batch.IsRetry, outcomes, warnings, batch.LayoutObject ?? batch.SourceObject, batch.Derived);

    private static RecordOutcome Outcome(string sourceId, SourceLocation location, string? externalId, RecordFate fate, string? destinationId, RecordIssue? issue, bool missingParent) =>
        new(sourceId, location.File, location.Line, externalId, fate, destinationId, issue?.Message, missingParent, issue?.Kind, issue?.Field);
}
