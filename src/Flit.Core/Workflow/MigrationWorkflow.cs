namespace Flit.Core.Workflow;

/// <summary>
/// The migration, stage by stage (DESIGN.md "The run"): stage → audit → propose → approval gate → prepare →
/// load phases in dependency order (batches of a phase in parallel) → retry pass → reconcile → report.
/// Written once against <see cref="IWorkflowContext"/>, so the Durable host and the local runner execute the same
/// code. Deterministic: every decision depends only on activity results and the context.
/// </summary>
public static class MigrationWorkflow
{
    public const string Name = "MigrationWorkflow";

    /// <param name="context">The orchestration.</param>
    /// <param name="request">What to run.</param>
    /// <param name="runId">The run's id, where artefacts of each run are kept apart (outcomes, snapshots): the
    /// instance's id unless the instance runs several (the delta window runs a pass per generation).</param>
    public static async Task<MigrationOutcome> RunAsync(IWorkflowContext context, MigrationRequest request, string? runId = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var input = new ActivityInput(request, RunId: runId ?? context.InstanceId);

        context.SetCustomStatus(new MigrationStatus("staging", null, 0, 0, null));
        await context.CallActivityAsync<StageResult>(ActivityNames.Stage, input);

        context.SetCustomStatus(new MigrationStatus("auditing", null, 0, 0, null));
        var audit = await context.CallActivityAsync<AuditResult>(ActivityNames.Audit, input);

        context.SetCustomStatus(new MigrationStatus("proposing", null, 0, 0, $"{audit.Findings} findings"));
        var proposal = await context.CallActivityAsync<ProposalResult>(ActivityNames.Propose, input);

        var approval = await AwaitApprovalAsync(context, input, proposal);
        if (!approval.Approved)
        {
            context.SetCustomStatus(new MigrationStatus("not-approved", null, 0, 0, approval.Reason));
            return new MigrationOutcome(request.MigrationId, "not-approved", approval.Reason, null, null);
        }

        var approved = input with { SpecHash = proposal.SpecHash };
        context.SetCustomStatus(new MigrationStatus("preparing", null, 0, 0, null));
        var prepared = await context.CallActivityAsync<PrepareResult>(ActivityNames.Prepare, approved);
        if (prepared.Blocked is { } blocked)
        {
            // Nothing has been written: better to stop here than to fail most of a large run one record at a time.
            context.SetCustomStatus(new MigrationStatus("blocked", null, 0, 0, blocked));
            return new MigrationOutcome(request.MigrationId, "blocked", blocked, null, null);
        }


        context.SetCustomStatus(new MigrationStatus("partitioning", null, 0, 0, null));
        var plan = await context.CallActivityAsync<LoadPlan>(ActivityNames.Partition, approved);
        await LoadPhasesAsync(context, approved, plan, "loading");

        // Records whose parent was missing are tried once more, after every parent phase has loaded.
        var retry = await context.CallActivityAsync<LoadPlan>(ActivityNames.PlanRetry, approved);
        await LoadPhasesAsync(context, approved, retry, "retrying");

        context.SetCustomStatus(new MigrationStatus("reconciling", null, 0, 0, null));
        var reconciliation = await context.CallActivityAsync<ReconcileResult>(ActivityNames.Reconcile, approved);
        context.SetCustomStatus(new MigrationStatus("reporting", null, 0, 0, null));
        var report = await context.CallActivityAsync<ReportResult>(ActivityNames.Report, approved);

        if (request.Mode == RunMode.Sample)
        {
            context.SetCustomStatus(new MigrationStatus("completed", null, 0, 0, "sample run"));
            return new MigrationOutcome(request.MigrationId, "completed", null, reconciliation, report);
        }

        if (request.Mode == RunMode.Delta)
        {
            // A pass of the window that is open: it neither opens nor moves it. The migration's summary adds it in.
            await context.CallActivityAsync<string>(ActivityNames.SummarizeMigration, approved);
            context.SetCustomStatus(new MigrationStatus(DeltaPassCompleted, null, 0, 0, null));
            return new MigrationOutcome(request.MigrationId, DeltaPassCompleted, null, reconciliation, report);
        }

        var window = request.DeltaWindow ?? MigrationRequest.DefaultDeltaWindow;
        var closesAt = context.CurrentUtcDateTime + window;
        context.SetCustomStatus(new MigrationStatus(DeltaWindowOpen, null, 0, 0, $"until {closesAt:O}"));
        return new MigrationOutcome(request.MigrationId, DeltaWindowOpen, $"until {closesAt:O}", reconciliation, report, closesAt);
    }

    /// <summary>The status a full run ends with: its delta-pickup window is open.</summary>
    public const string DeltaWindowOpen = "delta-window-open";

    /// <summary>The status a delta pass ends with.</summary>
    public const string DeltaPassCompleted = "delta-pass-completed";

    private static async Task<ApprovalCheck> AwaitApprovalAsync(IWorkflowContext context, ActivityInput start, ProposalResult proposal)
    {
        var request = start.Request;
        var input = start with { SpecHash = proposal.SpecHash };
        var check = await context.CallActivityAsync<ApprovalCheck>(ActivityNames.CheckApproval, input);
        if (check.Approved)
        {
            return check;
        }

        context.SetCustomStatus(new MigrationStatus("awaiting-approval", null, 0, 0, $"spec {proposal.SpecHash}"));
        try
        {
            await context.WaitForExternalEventAsync<ApprovalEvent>(
                WorkflowEvents.Approval,
                request.ApprovalTimeout ?? MigrationRequest.DefaultApprovalTimeout);
        }
        catch (TimeoutException)
        {
            return check with { Reason = $"No approval for spec {proposal.SpecHash} arrived in time. {check.Reason}" };
        }

        // The event only wakes the workflow: the recorded approval is what counts, and its hash must match.
        return await context.CallActivityAsync<ApprovalCheck>(ActivityNames.CheckApproval, input);
    }

    private static async Task LoadPhasesAsync(IWorkflowContext context, ActivityInput input, LoadPlan plan, string stage)
    {
        var total = plan.Phases.Sum(p => p.Batches.Count);
        var done = 0;
        foreach (var phase in plan.Phases.OrderBy(p => p.Phase))
        {
            context.SetCustomStatus(new MigrationStatus(stage, phase.Phase, done, total, null));
            done += await context.CallSubWorkflowAsync<PhaseInput, int>(
                LoadPhaseWorkflow.Name, LoadPhaseWorkflow.InstanceSuffix(context, input, stage, phase.Phase), new PhaseInput(input, phase, stage), LoadPhaseWorkflow.RunAsync);
        }

        context.SetCustomStatus(new MigrationStatus(stage, null, done, total, null));
    }
}
