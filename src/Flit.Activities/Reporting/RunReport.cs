using Flit.Activities.Loading;
using Flit.Core.Ports;

namespace Flit.Activities.Reporting;

/// <summary>
/// What report.json holds: the reconciliation, every record that did not load, every warning, and both grouped by
/// kind. The readable page and the terminal summary are drawn from it, so they never disagree with the data.
/// </summary>
/// <remarks>
/// <see cref="Mode"/> is SAMPLE or FULL; <see cref="NotLoadedGroups"/> holds failures and skips grouped (see
/// <see cref="IssueGroup"/>), largest first, and <see cref="WarningGroups"/> the warnings grouped the same way.
/// </remarks>
public sealed record RunReport(
    string MigrationId,
    string Pair,
    string Mode,
    string SpecHash,
    DateTimeOffset At,
    IReadOnlyList<ObjectCounts> Objects,
    IReadOnlyList<PresenceCheck> Presence,
    IReadOnlyList<NotLoadedRecord> NotLoaded,
    IReadOnlyList<FieldDifference> Diff,
    IReadOnlyList<RecordWarning> Warnings,
    IReadOnlyList<IssueGroup> NotLoadedGroups,
    IReadOnlyList<IssueGroup> WarningGroups)
{
    /// <summary>Differences the reconciliation found: sampled fields that differ, and loaded records the destination
    /// does not hold.</summary>
    public long Mismatches => Diff.Count(d => !d.Matches) + Presence.Sum(p => (long)p.MissingExternalIds.Count);

    /// <summary>The counts of all objects together.</summary>
    public ObjectCounts Totals() =>
        new("all", "all", Objects.Sum(o => o.Source), Objects.Sum(o => o.Created), Objects.Sum(o => o.Updated), Objects.Sum(o => o.Failed), Objects.Sum(o => o.Skipped), Objects.Sum(o => o.Unchanged));

    /// <summary>Reads a report.json written by <see cref="ReportActivity"/>.</summary>
    public static Task<RunReport> ReadAsync(IStagingStore store, string path, CancellationToken cancellationToken) =>
        store.ReadJsonAsync<RunReport>(path, cancellationToken);
}

/// <summary>A source record that did not load: where it is, what became of it and why.</summary>
public sealed record NotLoadedRecord(string SourceObject, string SourceId, string File, long Line, RecordFate Fate, string? Reason, string? Kind, string? Field);
