using Flit.Core.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Flit.Functions.Orchestration;

/// <summary>
/// The orchestrator functions: the shared workflows on the Durable context, nothing else. A migration's instance id is
/// its migration id; each load phase is a sub-orchestration; the delta window is the eternal <c>delta-{migration}</c>.
/// </summary>
public static class MigrationOrchestrators
{
    [Function(MigrationWorkflow.Name)]
    public static Task<MigrationOutcome> RunMigration([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.GetInput<MigrationRequest>() ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} has no migration request.");
        return MigrationWorkflow.RunAsync(new DurableWorkflowContext(context), request);
    }

    [Function(LoadPhaseWorkflow.Name)]
    public static Task<int> RunLoadPhase([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<PhaseInput>() ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} has no phase.");
        return LoadPhaseWorkflow.RunAsync(new DurableWorkflowContext(context), input);
    }

    [Function(DeltaWorkflow.Name)]
    public static Task<DeltaGeneration> RunDeltaWindow([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<DeltaWindowInput>() ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} has no delta window.");
        return DeltaWorkflow.RunAsync(new DurableWorkflowContext(context), input);
    }
}
