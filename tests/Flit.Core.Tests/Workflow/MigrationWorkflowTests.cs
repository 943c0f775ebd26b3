using Flit.Core.Workflow;

namespace Flit.Core.Tests.Workflow;

public sealed class MigrationWorkflowTests
{
    private static readonly MigrationRequest Request = new("m-1", "acme", "arkcase-odoo", "drop/acme/m-1", RunMode.Sample);

    private static object Answer(string name, ActivityInput input, bool approved, bool approvedAfterEvent = false) => name switch
    {
        ActivityNames.Stage => new StageResult("manifest.json", 3, 100),
        ActivityNames.Audit => new AuditResult("audit.json", 10, 2, 0),
        ActivityNames.Propose => new ProposalResult("spec.yaml", "abc", "review.md", 1),
        ActivityNames.CheckApproval => new ApprovalCheck(approved || approvedAfterEvent, "abc", null, null, approved ? null : "no approval"),
        ActivityNames.Prepare => new PrepareResult("lookups.json", 0, 0, 0),
        ActivityNames.Partition => new LoadPlan(
            [
                new PhasePlan(2, [new BatchWork("b3", "person", "res.partner", 2, "b3.jsonl", 10, false)]),
                new PhasePlan(1, [
                    new BatchWork("b1", "organization", "res.partner", 1, "b1.jsonl", 10, false),
                    new BatchWork("b2", "organization", "res.partner", 1, "b2.jsonl", 10, false)]),
            ],
            30,
            0),
        ActivityNames.PlanRetry => new LoadPlan([], 0, 0),
        ActivityNames.LoadBatch => new BatchResult(input.Batch!.BatchId, 10, 0, 0, 0, 0, "o.json"),
        ActivityNames.Reconcile => new ReconcileResult("r.json", 30, 30, 0, 0, 0, 0),
        ActivityNames.Report => new ReportResult("r.json", "r.csv", "r.md"),
        _ => throw new InvalidOperationException(name),
    };

    [Fact]
    public async Task RunAsync_NoApproval_WritesNothingAndStopsAtTheGate()
    {
        var context = new ScriptedWorkflowContext((n, i) => Answer(n, i, approved: false));

        var outcome = await MigrationWorkflow.RunAsync(context, Request);

        Assert.Equal("not-approved", outcome.Status);
        Assert.DoesNotContain(context.Calls, c => c.Name is ActivityNames.Prepare or ActivityNames.LoadBatch or ActivityNames.Partition);
        Assert.Contains("abc", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Approved_LoadsPhasesInDependencyOrderWithTheApprovedHash()
    {
        var context = new ScriptedWorkflowContext((n, i) => Answer(n, i, approved: true));

        var outcome = await MigrationWorkflow.RunAsync(context, Request);

        Assert.Equal("completed", outcome.Status);
        var loads = context.Calls.Where(c => c.Name == ActivityNames.LoadBatch).Select(c => c.Input.Batch!.BatchId).ToList();
        Assert.Equal(["b1", "b2", "b3"], loads);
        Assert.All(context.Calls.SkipWhile(c => c.Name != ActivityNames.Prepare), c => Assert.Equal("abc", c.Input.SpecHash));
    }

    [Fact]
    public async Task RunAsync_ApprovalEventArrives_ChecksTheRecordedApprovalAgainBeforeWriting()
    {
        var checks = 0;
        var context = new ScriptedWorkflowContext((n, i) =>
        {
            if (n == ActivityNames.CheckApproval)
            {
                checks++;
            }

            return Answer(n, i, approved: false, approvedAfterEvent: checks > 1);
        })
        {
            PendingApproval = new ApprovalEvent("abc", "dana@flitstack.io", DateTimeOffset.UnixEpoch),
        };

        var outcome = await MigrationWorkflow.RunAsync(context, Request);

        Assert.Equal(2, checks);
        Assert.Equal("completed", outcome.Status);
    }

    [Fact]
    public async Task RunAsync_FullMode_OpensTheDeltaWindowFromTheContextClock()
    {
        var context = new ScriptedWorkflowContext((n, i) => Answer(n, i, approved: true));

        var outcome = await MigrationWorkflow.RunAsync(context, Request with { Mode = RunMode.Full, DeltaWindow = TimeSpan.FromHours(48) });

        Assert.Equal("delta-window-open", outcome.Status);
        Assert.Contains("2026-11-03T08:00:00", outcome.Reason, StringComparison.Ordinal);
    }
}
