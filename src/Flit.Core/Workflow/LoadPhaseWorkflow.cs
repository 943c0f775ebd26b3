namespace Flit.Core.Workflow;

/// <summary>One load phase to run: the run's input, the phase's batches, and the stage it belongs to (loading or
/// retrying).</summary>
public sealed record PhaseInput(ActivityInput Input, PhasePlan Phase, string Stage);

/// <summary>
/// One load phase (an object type's batches, DESIGN.md step 6): every batch loaded in parallel, the phase done when all
/// are. A child workflow of <see cref="MigrationWorkflow"/>, so in Durable Functions a phase of a thousand batches is
/// replayed in its own history, never in the migration's.
/// </summary>
public static class LoadPhaseWorkflow
{
    public const string Name = "LoadPhaseWorkflow";

    /// <summary>The phase's child id under its parent: the stage and phase, and the run when the parent instance runs
    /// several (each delta pass of the window's eternal instance has its own children).</summary>
    public static string InstanceSuffix(IWorkflowContext context, ActivityInput input, string stage, int phase)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var run = input.Run == context.InstanceId ? "" : Mapping.CompiledMapping.SafeName(input.Run, 40) + "-";
        return $"{run}{stage}-{phase}";
    }

    /// <summary>Loads the phase's batches; returns how many were loaded.</summary>
    public static async Task<int> RunAsync(IWorkflowContext context, PhaseInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var batches = input.Phase.Batches
            .Select(b => context.CallActivityAsync<BatchResult>(ActivityNames.LoadBatch, input.Input with { Batch = b }))
            .ToList();
        await Task.WhenAll(batches);
        return batches.Count;
    }
}
