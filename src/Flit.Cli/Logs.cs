using Microsoft.Extensions.Logging;

namespace Flit.Cli;

/// <summary>
/// The <c>flit</c> command's own log events, ids 3000–3999 (the ranges of every project are listed in Flit.Activities'
/// Logs). A run's outcome is logged by its status only: the reason text of a blocked run lists owners' e-mails.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Run {Attempt} starting: {Mode} mode, pair {Pair}, destination {DestinationKind}, {Parallelism} batches at once")]
    public static partial void RunStarting(this ILogger logger, int attempt, string mode, string pair, string destinationKind, int parallelism);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Run finished in {DurationMs} ms: {RunStatus}, {Failed} failed, {Conflicts} conflicts")]
    public static partial void RunFinished(this ILogger logger, long durationMs, string runStatus, long failed, long conflicts);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Rollback of {RollbackTarget} requested (forced: {Forced})")]
    public static partial void RollbackRequested(this ILogger logger, string rollbackTarget, bool forced);
}
