using System.Text.Json;
using Flit.Core.Workflow;
using Flit.Core.Workflow.Local;
using Microsoft.Extensions.Time.Testing;

namespace Flit.Core.Tests.Workflow;

/// <summary>
/// The delta window's eternal loop, generation by generation as a host runs it (each restart under a journal of its
/// own): nothing new → wait and restart; a newer export → one pass with the shared activities under a run id of its
/// own, then restart with the next pass number; past the deadline → the whole migration reconciled, and the end.
/// Every generation replays from its journal to the same calls and outcome without running an activity.
/// </summary>
public sealed class DeltaWorkflowTests
{
    private static readonly MigrationRequest Request = new("m-7", "acme", "oncourse-odoo", "drop/acme/m-7", RunMode.Full);

    private static readonly TimeSpan Step = TimeSpan.FromMinutes(10);

    /// <summary>Activities with canned answers; looking for an export takes ten minutes of the fake clock, and one
    /// arrives at the second look.</summary>
    private sealed class Activities(FakeTimeProvider clock)
    {
        private int _looks;

        public List<(string Name, string InputJson)> Calls { get; } = [];

        public Task<string> InvokeAsync(string name, string inputJson, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add((name, inputJson));
            }

            object? output = name switch
            {
                ActivityNames.FindNewExport => FindNewExport(),
                ActivityNames.Stage => new StageResult("manifest.json", 3, 100),
                ActivityNames.Audit => new AuditResult("audit.json", 60, 2, 0),
                ActivityNames.Propose => new ProposalResult("spec.yaml", "abc", "review.md", 0),
                ActivityNames.CheckApproval => new ApprovalCheck(true, "abc", "dana@flitstack.io", DateTimeOffset.UnixEpoch, null),
                ActivityNames.Prepare => new PrepareResult("lookups.json", 0, 0, 0),
                ActivityNames.Partition => new LoadPlan([new PhasePlan(2, [new BatchWork("2-contact-0", "contact", "res.partner", 2, "b", 5, false)])], 5, 0),
                ActivityNames.PlanRetry => new LoadPlan([], 0, 0),
                ActivityNames.LoadBatch => new BatchResult("2-contact-0", 1, 1, 0, 0, 0, "o", Unchanged: 3),
                ActivityNames.Reconcile => new ReconcileResult("r", 5, 1, 1, 0, 0, 0, Unchanged: 3, RemovedAtSource: 1),
                ActivityNames.Report => new ReportResult("j", "c", "h"),
                ActivityNames.CloseDeltaWindow => new WindowCloseResult("final.json", 42, 42),
                ActivityNames.SummarizeMigration => "report/migration.json",
                _ => throw new InvalidOperationException(name),
            };
            return Task.FromResult(JsonSerializer.Serialize(output, WorkflowJson.Options));
        }

        private NewExport? FindNewExport()
        {
            clock.Advance(Step);
            return ++_looks == 2 ? new NewExport("drop/acme/m-7", "folder:002", "002") : null;
        }
    }

    private sealed class NoEvents : IExternalEventSource
    {
        public Task<string?> TryGetAsync(string instanceId, string eventName, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }

    /// <summary>Runs generations as the local host does, until the workflow stops restarting itself.</summary>
    private static async Task<List<(string InstanceId, DeltaWindowInput Input, DeltaGeneration Result)>> RunWindowAsync(InMemoryRunJournal journal, Activities activities, FakeTimeProvider clock, DeltaWindowInput first)
    {
        var generations = new List<(string, DeltaWindowInput, DeltaGeneration)>();
        var input = first;
        for (var generation = 1; generation < 20; generation++)
        {
            var instanceId = $"{DeltaWorkflow.InstanceId(Request.MigrationId)}#g{generation}";
            using var context = await JournalingWorkflowContext.StartAsync(instanceId, journal, activities.InvokeAsync, new NoEvents(), clock, 2, _ => { }, CancellationToken.None);
            var result = await DeltaWorkflow.RunAsync(context, input);
            generations.Add((instanceId, input, result));
            if (context.ContinuedAsNewWith is not { } next)
            {
                return generations;
            }

            input = JsonSerializer.Deserialize<DeltaWindowInput>(next, WorkflowJson.Options)!;
        }

        throw new InvalidOperationException("The window never closed.");
    }

    [Fact]
    public async Task Window_WaitsLoadsAPassUnderItsOwnRunThenClosesWithAReconciliation_AndEveryGenerationReplaysDeterministically()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var journal = new InMemoryRunJournal();
        var activities = new Activities(clock);

        var generations = await RunWindowAsync(journal, activities, clock, new DeltaWindowInput(Request, clock.GetUtcNow() + TimeSpan.FromMinutes(25), TimeSpan.Zero));

        Assert.Equal([DeltaWorkflow.NothingNew, DeltaWorkflow.PassRan, DeltaWorkflow.NothingNew, DeltaWorkflow.Closed], generations.Select(g => g.Result.Status));
        var pass = generations[1];
        Assert.Equal((1, "m-7#delta-1"), (pass.Result.Pass, pass.Result.RunId));
        Assert.Equal((2, "folder:002"), (generations[2].Input.NextPass, generations[2].Input.LastExport));
        Assert.Equal(42, generations[3].Result.Close!.Found);

        // The pass is the migration workflow in delta mode, its activities under the pass's run.
        var passInputs = activities.Calls.Where(c => c.Name is ActivityNames.Stage or ActivityNames.LoadBatch or ActivityNames.Report)
            .Select(c => JsonSerializer.Deserialize<ActivityInput>(c.InputJson, WorkflowJson.Options)!).ToList();
        Assert.Equal(3, passInputs.Count);
        Assert.All(passInputs, i => Assert.Equal(("m-7#delta-1", RunMode.Delta), (i.Run, i.Request.Mode)));

        // Replayed from its journal, each generation makes the same decisions and runs nothing.
        foreach (var (instanceId, input, result) in generations)
        {
            var replay = new Activities(clock);
            using var context = await JournalingWorkflowContext.StartAsync(instanceId, journal, replay.InvokeAsync, new NoEvents(), clock, 2, _ => { }, CancellationToken.None);
            var again = await DeltaWorkflow.RunAsync(context, input);

            Assert.Empty(replay.Calls);
            Assert.Equal(JsonSerializer.Serialize(result, WorkflowJson.Options), JsonSerializer.Serialize(again, WorkflowJson.Options));
        }
    }

    [Fact]
    public async Task Pass_NotApproved_IsTriedAgainWithTheSameNumberAndExport()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var input = new DeltaWindowInput(Request, clock.GetUtcNow() + TimeSpan.FromHours(1), TimeSpan.Zero, NextPass: 3, LastExport: "folder:001");
        Task<string> Invoke(string name, string inputJson, CancellationToken cancellationToken) => Task.FromResult(JsonSerializer.Serialize<object?>(name switch
        {
            ActivityNames.FindNewExport => new NewExport("drop/acme/m-7", "folder:002", "002"),
            ActivityNames.Stage => new StageResult("manifest.json", 3, 100),
            ActivityNames.Audit => new AuditResult("audit.json", 60, 2, 0),
            ActivityNames.Propose => new ProposalResult("spec.yaml", "def", "review.md", 1),
            ActivityNames.CheckApproval => new ApprovalCheck(false, "def", null, null, "The newer export needs its mapping approved."),
            _ => throw new InvalidOperationException($"{name} ran, but nothing may load without an approval."),
        }, WorkflowJson.Options));
        using var context = await JournalingWorkflowContext.StartAsync("delta-m-7#g5", new InMemoryRunJournal(), Invoke, new NoEvents(), clock, 2, _ => { }, CancellationToken.None);

        var result = await DeltaWorkflow.RunAsync(context, input);

        Assert.Equal(("not-approved", 3), (result.Status, result.Pass));
        Assert.Equal(JsonSerializer.Serialize(input, WorkflowJson.Options), context.ContinuedAsNewWith);
    }
}
