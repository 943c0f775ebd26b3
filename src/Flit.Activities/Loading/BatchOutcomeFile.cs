namespace Flit.Activities.Loading;

/// <summary>Every record of a batch and what became of it; the retry pass and the report read these.</summary>
/// <param name="BatchId">The batch.</param>
/// <param name="SourceObject">The mapping key its records loaded as.</param>
/// <param name="TargetModel">Destination model.</param>
/// <param name="Phase">Load phase.</param>
/// <param name="IsRetry">A retry-pass batch (its outcomes replace the first pass's).</param>
/// <param name="Records">Every record's fate.</param>
/// <param name="Warnings">What was left out or changed about records that loaded.</param>
/// <param name="LayoutObject">The export object the rows were read from (the accounting of every row read).</param>
/// <param name="Derived">Records computed from another object's rows, not rows of <paramref name="LayoutObject"/>.</param>
public sealed record BatchOutcomeFile(
    string BatchId,
    string SourceObject,
    string TargetModel,
    int Phase,
    bool IsRetry,
    IReadOnlyList<RecordOutcome> Records,
    IReadOnlyList<RecordWarning> Warnings,
    string? LayoutObject = null,
    bool Derived = false);

/// <summary>One record's fate: loaded (created/updated), skipped by rule, or failed with its reason; the kind and field
/// of a skip or failure are what reports group by (see <see cref="Core.Records.IssueKinds"/>).</summary>
public sealed record RecordOutcome(
    string SourceId,
    string File,
    long Line,
    string? ExternalId,
    RecordFate Fate,
    string? DestinationId,
    string? Reason,
    bool MissingParent,
    string? Kind = null,
    string? Field = null);

/// <summary>What was left out or changed about a record that loaded (or was held back), with where it came from.</summary>
public sealed record RecordWarning(string SourceObject, string SourceId, string File, long Line, string Kind, string? Field, string Message)
{
    public static RecordWarning Of(Core.Destinations.DestinationRecord record, Core.Records.RecordIssue issue)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(issue);
        return new(record.SourceObject, record.SourceId, record.Location.File, record.Location.Line, issue.Kind, issue.Field, issue.Message);
    }
}

/// <summary>Where a source record ended.</summary>
public enum RecordFate
{
    /// <summary>The migration created the destination record.</summary>
    Created,

    /// <summary>The migration wrote a record that was there before, or changed one an earlier run of it wrote.</summary>
    Updated,

    /// <summary>An earlier run of the migration wrote exactly this content: nothing was sent.</summary>
    Unchanged,

    /// <summary>Not loaded by a rule of the spec (a filter, a record folded into another, a rebuild package).</summary>
    Skipped,

    /// <summary>Not loaded: the reason says why, with the file and line.</summary>
    Failed,

    /// <summary>Not written: someone changed the record in the destination after the migration wrote it, and the source
    /// changed too. Left as it is; the reason holds both values.</summary>
    Conflict,
}
