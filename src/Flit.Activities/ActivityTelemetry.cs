using System.Security.Cryptography;
using System.Text;
using Flit.Core.Telemetry;
using Flit.Core.Workflow;
using Microsoft.Extensions.Logging;

namespace Flit.Activities;

/// <summary>
/// What every host does around an activity it runs by name: a log scope carrying the migration, run, stage, object
/// type and batch (a key/value list, so Application Insights and OpenTelemetry keep each as a custom dimension), and
/// the stage's start and finish with its duration and outcome.
/// </summary>
public static class ActivityTelemetry
{
    /// <summary>The outcome of a stage that returned.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The outcome of a stage that threw.</summary>
    public const string Failed = "failed";

    /// <summary>The outcome of a stage stopped by cancellation.</summary>
    public const string Canceled = "canceled";

    /// <summary>Opens the scope of one activity: the properties of <see cref="TelemetryNames.ScopeProperties"/> that are known.</summary>
    public static IDisposable? BeginScope(ILogger logger, string stage, ActivityInput? input)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var properties = new List<KeyValuePair<string, object?>>(5);
        if (input is not null)
        {
            properties.Add(new(TelemetryNames.MigrationId, input.Request.MigrationId));
            properties.Add(new(TelemetryNames.RunId, input.Run));
        }

        properties.Add(new(TelemetryNames.Stage, stage));
        if (input?.Batch is { } batch)
        {
            properties.Add(new(TelemetryNames.ObjectType, batch.SourceObject));
            properties.Add(new(TelemetryNames.BatchId, batch.BatchId));
        }

        return logger.BeginScope(properties);
    }

    /// <summary>The scope of a migration's run outside any one activity (its workflow, a rollback).</summary>
    public static IDisposable? BeginRunScope(ILogger logger, string migrationId, string runId)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return logger.BeginScope(new List<KeyValuePair<string, object?>> { new(TelemetryNames.MigrationId, migrationId), new(TelemetryNames.RunId, runId) });
    }

    /// <summary>Runs one activity inside its scope, logging its start and its finish (or failure) with the duration.</summary>
    public static async Task<T> RunAsync<T>(ILogger logger, string stage, ActivityInput? input, TimeProvider time, Func<Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(run);
        using var scope = BeginScope(logger, stage, input);
        logger.StageStarted(stage);
        var started = time.GetTimestamp();
        try
        {
            var result = await run();
            logger.StageFinished(stage, Milliseconds(time, started), Succeeded);
            return result;
        }
        catch (OperationCanceledException)
        {
            logger.StageFinished(stage, Milliseconds(time, started), Canceled);
            throw;
        }
        catch (Exception e)
        {
            logger.StageFailed(e, stage, Milliseconds(time, started), Failed, e.GetType().Name);
            throw;
        }
    }

    /// <summary>
    /// A stable stand-in for a personal value (an approver's e-mail) in logs: the first 12 hex digits of its SHA-256,
    /// case and surrounding spaces ignored, so one person's actions can be followed without the address being logged.
    /// </summary>
    public static string Pseudonym(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(value.Trim().ToUpperInvariant()));
        return Convert.ToHexStringLower(hash)[..12];
    }

    internal static long Milliseconds(TimeProvider time, long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;
}
