using Flit.Activities.Reporting;
using Flit.Core.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Flit.Functions.Orchestration;

/// <summary>What a rollback undoes: the migration's writes, or one delta pass's (<paramref name="PassRunId"/>);
/// <paramref name="Force"/> overwrites destination edits made since instead of reporting them as conflicts.</summary>
public sealed record RollbackInput(MigrationRequest Request, bool Force, string? PassRunId = null);

/// <summary>
/// A rollback as an orchestration of its own (<c>rollback-{migration}-…</c>): one activity, so a rollback outlives
/// the HTTP call that asked for it and its outcome stays readable.
/// </summary>
public static class RollbackOrchestrator
{
    public const string Name = "RollbackWorkflow";

    public const string Activity = "Rollback";

    [Function(Name)]
    public static Task<RollbackReport> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<RollbackInput>() ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} has no rollback input.");
        context.SetCustomStatus(new MigrationStatus("rolling-back", null, 0, 0, input.PassRunId));
        return context.CallActivityAsync<RollbackReport>(Activity, input, DurableWorkflowContext.ActivityRetry);
    }
}
