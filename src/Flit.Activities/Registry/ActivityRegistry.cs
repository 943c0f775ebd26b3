using System.Text.Json;
using Flit.Activities.Approval;
using Flit.Activities.Auditing;
using Flit.Activities.Loading;
using Flit.Activities.Partitioning;
using Flit.Activities.Preparing;
using Flit.Activities.Proposing;
using Flit.Activities.Reporting;
using Flit.Activities.Staging;
using Flit.Core.Telemetry;
using Flit.Core.Workflow;
using Flit.Core.Workflow.Local;
using Microsoft.Extensions.Logging;

namespace Flit.Activities.Registry;

/// <summary>
/// The activities both hosts run, by the workflow's names: the local runner and the Durable Functions app resolve this
/// one registry from DI and hand it the migration's <see cref="MigrationResources"/>, so neither constructs an
/// activity by hand. Each activity runs in its log scope (migration, run, stage, object type, batch) with its start
/// and finish logged. <see cref="ActivityNames.FindNewExport"/> is the host's own (a watched folder, the blob drop).
/// </summary>
public sealed class ActivityRegistry(TimeProvider time, ILoggerFactory loggers, FlitMetrics metrics)
{
    private readonly ILogger _logger = loggers.CreateLogger<ActivityRegistry>();

    /// <summary>The activities this registry runs.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        ActivityNames.Stage, ActivityNames.Audit, ActivityNames.Propose, ActivityNames.CheckApproval, ActivityNames.Prepare,
        ActivityNames.Partition, ActivityNames.LoadBatch, ActivityNames.PlanRetry, ActivityNames.Reconcile, ActivityNames.Report,
        ActivityNames.CloseDeltaWindow, ActivityNames.SummarizeMigration,
    ];

    /// <summary>Runs one activity on a typed input; returns its typed output.</summary>
    public Task<object> RunAsync(string name, ActivityInput input, MigrationResources resources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(resources);
        return ActivityTelemetry.RunAsync(_logger, name, input, time, () => RunUnscopedAsync(name, input, resources, cancellationToken));
    }

    /// <summary>Runs one activity on a JSON input (<see cref="WorkflowJson.Options"/>); returns its JSON output.</summary>
    public async Task<string> InvokeAsync(string name, string inputJson, MigrationResources resources, CancellationToken cancellationToken)
    {
        var input = JsonSerializer.Deserialize<ActivityInput>(inputJson, WorkflowJson.Options)
            ?? throw new ArgumentException($"Activity {name} got an empty input.", nameof(inputJson));
        var output = await RunAsync(name, input, resources, cancellationToken);
        return JsonSerializer.Serialize(output, output.GetType(), WorkflowJson.Options);
    }

    private async Task<object> RunUnscopedAsync(string name, ActivityInput input, MigrationResources r, CancellationToken cancellationToken) => name switch
    {
        ActivityNames.Stage => await new StageActivity(r.Store, time).RunAsync(input, cancellationToken),
        ActivityNames.Audit => await new AuditActivity(r.Store, r.Exports, r.Destination).RunAsync(input, cancellationToken),
        ActivityNames.Propose => await new ProposeActivity(r.Store, r.Exports).RunAsync(input, cancellationToken),
        ActivityNames.CheckApproval => await new CheckApprovalActivity(r.Approvals, loggers.CreateLogger<CheckApprovalActivity>()).RunAsync(input, cancellationToken),
        ActivityNames.Prepare => await new PrepareActivity(r.Store, r.Exports, r.Destination, r.Mappings).RunAsync(input, cancellationToken),
        ActivityNames.Partition => await new PartitionActivity(r.Store, r.Exports, r.Mappings, r.IdMap).RunAsync(input, cancellationToken),
        ActivityNames.LoadBatch => await new LoadBatchActivity(r.Store, r.IdMap, r.Destination, r.Mappings, time, loggers.CreateLogger<LoadBatchActivity>(), metrics).RunAsync(input, cancellationToken),
        ActivityNames.PlanRetry => await new PlanRetryActivity(r.Store).RunAsync(input, cancellationToken),
        ActivityNames.Reconcile => await new ReconcileActivity(r.Store, r.IdMap, r.Destination, r.Mappings, time).RunAsync(input, cancellationToken),
        ActivityNames.Report => await new ReportActivity(r.Store).RunAsync(input, cancellationToken),
        ActivityNames.CloseDeltaWindow => await new CloseDeltaWindowActivity(r.Store, r.IdMap, r.Destination, time).RunAsync(input, cancellationToken),
        ActivityNames.SummarizeMigration => await new MigrationSummaryActivity(r.Store, time).RunAsync(input, cancellationToken),
        _ => throw new InvalidOperationException($"Unknown activity '{name}'."),
    };

    /// <summary>Undoes the migration's writes (see <see cref="RollbackActivity"/>).</summary>
    public Task<RollbackReport> RollbackAsync(MigrationRequest request, MigrationResources resources, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return new RollbackActivity(resources.Store, resources.IdMap, resources.Destination, time, loggers.CreateLogger<RollbackActivity>())
            .RunAsync(request, force, RollbackActivity.DefaultRetention, cancellationToken);
    }

    /// <summary>Undoes one delta pass of the migration (see <see cref="PassRollbackActivity"/>).</summary>
    public Task<RollbackReport> RollbackPassAsync(MigrationRequest request, string runId, MigrationResources resources, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return new PassRollbackActivity(resources.Store, resources.IdMap, resources.Destination, time, loggers.CreateLogger<PassRollbackActivity>())
            .RunAsync(request, runId, force, cancellationToken);
    }
}
