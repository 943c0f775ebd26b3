using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Records;

namespace Flit.Activities;

/// <summary>One object the approved spec migrates: where it goes, when, and how to keep siblings together.</summary>
/// <param name="SourceObject">Layout object name.</param>
/// <param name="TargetModel">Destination model.</param>
/// <param name="Phase">Load phase.</param>
/// <param name="GroupByColumn">Column holding the parent's source id: records sharing a parent go to one batch so
/// parallel workers never update the same parent concurrently (Odoo's concurrent-update failures).</param>
/// <param name="GroupByObject">The object that column points at (sample mode follows it to keep links whole).</param>
public sealed record ObjectPlan(string SourceObject, string TargetModel, LoadPhase Phase, string? GroupByColumn, string? GroupByObject);

/// <summary>What mapping one source record produced: a record to send, a skip by rule, or a failure.</summary>
public sealed record MapOutcome(DestinationRecord? Record, string? SkipReason, string? Failure)
{
    public static MapOutcome Mapped(DestinationRecord record) => new(record, null, null);

    public static MapOutcome Skipped(string reason) => new(null, reason, null);

    public static MapOutcome Failed(string reason) => new(null, null, reason);
}

/// <summary>The approved mapping spec, compiled for the load: the seam between the activities and the mapping engine.</summary>
public interface ICompiledMapping
{
    string SpecHash { get; }

    IReadOnlyList<ObjectPlan> Objects { get; }

    MapOutcome Map(SourceRecord record);
}
