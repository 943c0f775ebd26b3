using System.Text.Json.Serialization;
using Flit.Activities.Loading;
using Flit.Core.Ports;
using Flit.Core.Records;

namespace Flit.Activities.Reporting;

/// <summary>
/// What report.json holds: the reconciliation, the first records that did not load and the first warnings (report.csv
/// lists every one; the counts are exact), and both grouped by kind. The readable page and the terminal summary are drawn from it, so they never disagree with the data.
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
    IReadOnlyList<IssueGroup> WarningGroups,
    IReadOnlyList<SourceAccounting>? Sources = null,
    long? NotLoadedCount = null,
    long? WarningCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RemovedRecords>? Removed = null)
{
    /// <summary>A delta pass's records whose rows its export no longer has, in all (left in the destination).</summary>
    [JsonIgnore]
    public long RemovedTotal => Removed?.Sum(r => r.Count) ?? 0;

    /// <summary>Records not loaded in all (<see cref="NotLoaded"/> lists the first of them; report.csv every one).</summary>
    [JsonIgnore]
    public long NotLoadedTotal => NotLoadedCount ?? NotLoaded.Count;

    /// <summary>Warnings in all (<see cref="Warnings"/> lists the first of them; report.csv every one).</summary>
    [JsonIgnore]
    public long WarningTotal => WarningCount ?? Warnings.Count;

    /// <summary>Differences the reconciliation found: sampled fields that differ, and loaded records the destination
    /// does not hold.</summary>
    public long Mismatches => Diff.Count(d => !d.Matches) + Presence.Sum(p => p.Expected - p.Found);

    /// <summary>The counts of all objects together.</summary>
    public ObjectCounts Totals() =>
        new("all", "all", Objects.Sum(o => o.Source), Objects.Sum(o => o.Created), Objects.Sum(o => o.Updated), Objects.Sum(o => o.Failed), Objects.Sum(o => o.Skipped), Objects.Sum(o => o.Unchanged), Objects.Sum(o => o.Conflicts));

    /// <summary>Reads a report.json written by <see cref="ReportActivity"/>; one written before reports had groups
    /// gets them from its lists.</summary>
    public static async Task<RunReport> ReadAsync(IStagingStore store, string path, CancellationToken cancellationToken)
    {
        var report = await store.ReadJsonAsync<RunReport>(path, cancellationToken);
        return report with
        {
            NotLoadedGroups = report.NotLoadedGroups ?? GroupNotLoaded(report.NotLoaded),
            WarningGroups = report.WarningGroups ?? GroupWarnings(report.Warnings),
        };
    }

    internal static IReadOnlyList<IssueGroup> GroupNotLoaded(IEnumerable<NotLoadedRecord> notLoaded) => IssueGrouping.Group(notLoaded.Select(Issue));

    internal static IReadOnlyList<IssueGroup> GroupWarnings(IEnumerable<RecordWarning> warnings) => IssueGrouping.Group(warnings.Select(Issue));

    internal static ReportedIssue Issue(NotLoadedRecord n) => new(
        n.Fate switch { RecordFate.Failed => IssueFates.Failed, RecordFate.Conflict => IssueFates.Conflict, _ => IssueFates.Skipped },
        n.SourceObject,
        n.Kind ?? (n.Fate == RecordFate.Skipped ? IssueKinds.SkippedByRule : IssueGrouping.Unclassified),
        n.Field,
        n.SourceId,
        n.File,
        n.Line,
        n.Reason ?? string.Empty);

    /// <remarks>A warning read from a file written before kinds existed has none, whatever its type says.</remarks>
    internal static ReportedIssue Issue(RecordWarning w) =>
        new(IssueFates.Warning, w.SourceObject, w.Kind ?? IssueGrouping.Unclassified, w.Field, w.SourceId, w.File, w.Line, w.Message);
}

/// <summary>A source record that did not load: where it is, what became of it and why.</summary>
public sealed record NotLoadedRecord(string SourceObject, string SourceId, string File, long Line, RecordFate Fate, string? Reason, string? Kind, string? Field);
