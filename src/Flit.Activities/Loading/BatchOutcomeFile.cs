using Flit.Core.Destinations;

namespace Flit.Activities.Loading;

/// <summary>Every record of a batch and what became of it; the retry pass and the report read these.</summary>
public sealed record BatchOutcomeFile(
    string BatchId,
    string SourceObject,
    string TargetModel,
    int Phase,
    bool IsRetry,
    IReadOnlyList<RecordOutcome> Records,
    IReadOnlyList<string> Warnings);

/// <summary>One record's fate: loaded (created/updated), skipped by rule, or failed with its reason.</summary>
public sealed record RecordOutcome(
    string SourceId,
    string File,
    long Line,
    string? ExternalId,
    RecordFate Fate,
    string? DestinationId,
    string? Reason,
    bool MissingParent);

/// <summary>Where a source record ended.</summary>
public enum RecordFate
{
    Created,
    Updated,
    Skipped,
    Failed,
}

internal static class RecordFates
{
    public static RecordFate From(UpsertStatus status) => status switch
    {
        UpsertStatus.Created => RecordFate.Created,
        UpsertStatus.Updated or UpsertStatus.Unchanged => RecordFate.Updated,
        _ => RecordFate.Failed,
    };
}
