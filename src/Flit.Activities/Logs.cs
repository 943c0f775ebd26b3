using Microsoft.Extensions.Logging;

namespace Flit.Activities;

/// <summary>
/// The engine's log events (durabletask-dotnet's Logs.cs pattern): fixed ids, named placeholders, no personal data —
/// source ids, object types, counts, durations and reason codes, never e-mails, names or record values.
/// Event id ranges, one per project: Flit.Activities 1000–1999, Flit.Destinations.Odoo 2000–2999, Flit.Cli 3000–3999
/// (a future Flit.Functions takes 4000–4999), Flit.Storage.Azure 5000–5999. docs/ops.md queries these by EventName; a test keeps the two equal.
/// The migration, run, stage, object type and batch come from the scope <see cref="ActivityTelemetry"/> opens.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Stage {ActivityName} started")]
    public static partial void StageStarted(this ILogger logger, string activityName);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Stage {ActivityName} finished in {DurationMs} ms: {StageOutcome}")]
    public static partial void StageFinished(this ILogger logger, string activityName, long durationMs, string stageOutcome);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Stage {ActivityName} failed after {DurationMs} ms: {StageOutcome} ({ErrorType})")]
    public static partial void StageFailed(this ILogger logger, Exception exception, string activityName, long durationMs, string stageOutcome, string errorType);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Batch loaded into {TargetModel}: {Records} records, {Created} created, {Updated} updated, {Unchanged} unchanged, {Failed} failed, {Conflicts} conflicts, {Skipped} skipped in {DurationMs} ms (retry pass: {IsRetry})")]
    public static partial void BatchLoaded(this ILogger logger, string targetModel, int records, int created, int updated, int unchanged, int failed, int conflicts, int skipped, long durationMs, bool isRetry);

    /// <summary>The destination's or the mapping's reason as a code (an issue kind), never its message: messages quote values.</summary>
    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Record {SourceId} not loaded into {TargetModel}: {ReasonCode} (field {Field}, missing parent: {MissingParent})")]
    public static partial void RecordRefused(this ILogger logger, string sourceId, string targetModel, string reasonCode, string? field, bool missingParent);

    /// <summary>A rollback conflict (the record changed in the destination after the migration wrote it) or a refusal:
    /// the destination's outcome says which only in its message, which may quote values, so the report has it.</summary>
    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Rollback left {TargetModel} record {ExternalId} as it is: changed in the destination since the migration wrote it, or refused (forced: {Forced})")]
    public static partial void RollbackLeftAlone(this ILogger logger, string targetModel, string externalId, bool forced);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Information, Message = "Rollback finished: {Deleted} deleted, {Restored} restored, {ConflictCount} conflicts, {FailureCount} failures, {DroppedFields} custom fields dropped")]
    public static partial void RollbackFinished(this ILogger logger, int deleted, int restored, long conflictCount, long failureCount, int droppedFields);

    /// <summary>The approver as a pseudonym (<see cref="ActivityTelemetry.Pseudonym"/>): the e-mail itself stays in the approval file.</summary>
    [LoggerMessage(EventId = 1030, Level = LogLevel.Information, Message = "Approval recorded for spec {SpecHash} by approver {ApproverPseudonym}")]
    public static partial void ApprovalRecorded(this ILogger logger, string specHash, string approverPseudonym);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Information, Message = "Approval check for spec {SpecHash}: approved {Approved}")]
    public static partial void ApprovalChecked(this ILogger logger, string specHash, bool approved);
}
