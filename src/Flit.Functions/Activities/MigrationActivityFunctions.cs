using Flit.Activities.Registry;
using Flit.Activities.Reporting;
using Flit.Core.Workflow;
using Flit.Functions.Hosting;
using Flit.Functions.Orchestration;
using Microsoft.Azure.Functions.Worker;

namespace Flit.Functions.Activities;

/// <summary>
/// One activity function per activity of the shared registry: each hands its input to <see cref="ActivityRegistry"/>
/// with the migration's resources (its stores and destination, opened once per migration on this instance).
/// </summary>
public sealed class MigrationActivityFunctions(ActivityRegistry registry, MigrationResourceCache resources)
{
    [Function(ActivityNames.Stage)]
    public Task<object> Stage([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.Stage, input, cancellationToken);

    [Function(ActivityNames.Audit)]
    public Task<object> Audit([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.Audit, input, cancellationToken);

    [Function(ActivityNames.Propose)]
    public Task<object> Propose([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.Propose, input, cancellationToken);

    [Function(ActivityNames.CheckApproval)]
    public Task<object> CheckApproval([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.CheckApproval, input, cancellationToken);

    [Function(ActivityNames.Prepare)]
    public Task<object> Prepare([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.Prepare, input, cancellationToken);

    [Function(ActivityNames.Partition)]
    public Task<object> Partition([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.Partition, input, cancellationToken);

    [Function(ActivityNames.LoadBatch)]
    public Task<object> LoadBatch([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.LoadBatch, input, cancellationToken);

    [Function(ActivityNames.PlanRetry)]
    public Task<object> PlanRetry([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.PlanRetry, input, cancellationToken);

    [Function(ActivityNames.Reconcile)]
    public Task<object> Reconcile([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.Reconcile, input, cancellationToken);

    [Function(ActivityNames.Report)]
    public Task<object> Report([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.Report, input, cancellationToken);

    [Function(ActivityNames.CloseDeltaWindow)]
    public Task<object> CloseDeltaWindow([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.CloseDeltaWindow, input, cancellationToken);

    [Function(ActivityNames.SummarizeMigration)]
    public Task<object> SummarizeMigration([ActivityTrigger] ActivityInput input, CancellationToken cancellationToken) => RunAsync(ActivityNames.SummarizeMigration, input, cancellationToken);

    [Function(RollbackOrchestrator.Activity)]
    public async Task<RollbackReport> RollbackAsync([ActivityTrigger] RollbackInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migration = await resources.GetAsync(input.Request.MigrationId, cancellationToken);
        return input.PassRunId is { } pass
            ? await registry.RollbackPassAsync(input.Request, pass, migration, input.Force, cancellationToken)
            : await registry.RollbackAsync(input.Request, migration, input.Force, cancellationToken);
    }

    /// <summary>Runs a registry activity for its migration (what each function above and the tests' registrations call).</summary>
    public async Task<object> RunAsync(string name, ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migration = await resources.GetAsync(input.Request.MigrationId, cancellationToken);
        return await registry.RunAsync(name, input, migration, cancellationToken);
    }
}
