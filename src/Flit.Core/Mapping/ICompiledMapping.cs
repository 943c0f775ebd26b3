using Flit.Core.Destinations;
using Flit.Core.Records;

namespace Flit.Core.Mapping;

/// <summary>One object the approved spec migrates: where it goes, when, and how to keep siblings together.</summary>
/// <param name="SourceObject">Layout object name.</param>
/// <param name="TargetModel">Destination model.</param>
/// <param name="Phase">Load phase.</param>
/// <param name="GroupByColumn">Column holding the parent's source id: records sharing a parent go to one batch so
/// parallel workers never update the same parent concurrently (Odoo's concurrent-update failures).</param>
/// <param name="GroupByObject">The object that column points at (sample mode follows it to keep links whole).</param>
/// <param name="Key">Mapping key: the object name in batches, the ID map and external ids.</param>
/// <param name="DistinctBy">For computed ids (companies extracted from contacts): the id of each record; records
/// with an empty or already-seen id are not loaded again.</param>
/// <param name="Includes">The spec's <c>where</c> rule: records it leaves out belong to another entry of the same
/// source object (e.g. FOIA requests vs other cases) and are not batched for this one.</param>
/// <param name="Parents">The records a record links to (object key, source id, required): sample mode keeps a
/// child only when its parents are in the sample, so the slice loads whole.</param>
public sealed record ObjectPlan(
    string SourceObject,
    string TargetModel,
    LoadPhase Phase,
    string? GroupByColumn,
    string? GroupByObject,
    string Key,
    Func<SourceRecord, string?>? DistinctBy = null,
    Func<SourceRecord, IEnumerable<(string Object, string Id, bool Required)>>? Parents = null,
    Func<SourceRecord, bool>? Includes = null);

/// <summary>What mapping one source record produced: a record to send (with warnings about values left out), a skip
/// by rule, or a failure naming the file, line and column.</summary>
public sealed record MapOutcome(DestinationRecord? Record, RecordIssue? Skip, RecordIssue? Failure, IReadOnlyList<RecordIssue>? Warnings = null)
{
    public static MapOutcome Mapped(DestinationRecord record, IReadOnlyList<RecordIssue>? warnings = null) => new(record, null, null, warnings);

    public static MapOutcome Skipped(string reason) => new(null, new RecordIssue(IssueKinds.SkippedByRule, null, reason), null);

    public static MapOutcome Failed(string kind, string? field, string reason) => new(null, null, new RecordIssue(kind, field, reason));
}

/// <summary>The approved mapping spec, compiled for the load: the seam between the activities and the mapping engine.</summary>
public interface ICompiledMapping
{
    string SpecHash { get; }

    /// <summary>The module part of every external id this mapping writes (<c>flit_{tenant}</c>).</summary>
    string ExternalIdModule { get; }

    IReadOnlyList<ObjectPlan> Objects { get; }

    /// <summary>Maps a record for one object entry (its <see cref="ObjectPlan.Key"/>).</summary>
    MapOutcome Map(string key, SourceRecord record);

    /// <summary>The values of a record that name destination records or users (<see cref="NamedLookup"/>,
    /// <see cref="UserLookup"/>), exactly as <see cref="Map"/> gives them, or null when the record would not load.
    /// Cheaper than mapping: the plain values of optional fields (note bodies, dates…) are not computed.</summary>
    IReadOnlyList<object>? Lookups(string key, SourceRecord record);
}
