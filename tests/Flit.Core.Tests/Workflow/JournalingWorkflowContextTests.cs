using System.Collections.Concurrent;
using System.Text.Json;
using Flit.Core.Workflow;
using Flit.Core.Workflow.Local;

namespace Flit.Core.Tests.Workflow;

public sealed class JournalingWorkflowContextTests
{
    private static readonly MigrationRequest Request = new("m-9", "acme", "arkcase-odoo", "drop/acme/m-9", RunMode.Sample);

    /// <summary>Fake activities: deterministic answers, with a count of real invocations per activity.</summary>
    private sealed class FakeActivities
    {
        public ConcurrentDictionary<string, int> Invocations { get; } = new();

        public Func<string, ActivityInput, bool> CrashWhen { get; set; } = (_, _) => false;

        public Task<string> InvokeAsync(string name, string inputJson, CancellationToken cancellationToken)
        {
            var input = JsonSerializer.Deserialize<ActivityInput>(inputJson, WorkflowJson.Options)!;
            if (CrashWhen(name, input))
            {
                throw new IOException($"simulated crash in {name}");
            }

            Invocations.AddOrUpdate(name + (input.Batch is null ? string.Empty : ":" + input.Batch.BatchId), 1, (_, n) => n + 1);
            object output = name switch
            {
                ActivityNames.Stage => new StageResult("manifest.json", 3, 100),
                ActivityNames.Audit => new AuditResult("audit.json", 60, 2, 0),
                ActivityNames.Propose => new ProposalResult("spec.yaml", "abc", "review.md", 0),
                ActivityNames.CheckApproval => new ApprovalCheck(true, "abc", "dana@flitstack.io", DateTimeOffset.UnixEpoch, null),
                ActivityNames.Prepare => new PrepareResult("lookups.json", 1, 0, 0),
                ActivityNames.Partition => new LoadPlan(
                    [.. Enumerable.Range(1, 3).Select(phase => new PhasePlan(phase, [.. Enumerable.Range(0, 4).Select(b => new BatchWork($"{phase}-{b}", "o", "m", phase, $"p{phase}{b}", 5, false))]))],
                    60,
                    0),
                ActivityNames.PlanRetry => new LoadPlan([], 0, 0),
                ActivityNames.LoadBatch => new BatchResult(input.Batch!.BatchId, 5, 0, 0, 0, 0, "o"),
                ActivityNames.Reconcile => new ReconcileResult("r", 60, 60, 0, 0, 0, 0),
                ActivityNames.Report => new ReportResult("j", "c", "m"),
                _ => throw new InvalidOperationException(name),
            };
            return Task.FromResult(JsonSerializer.Serialize(output, output.GetType(), WorkflowJson.Options));
        }
    }

    private sealed class NoEvents : IExternalEventSource
    {
        public Task<string?> TryGetAsync(string instanceId, string eventName, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }

    /// <summary>Records what the workflow asks of its context, to compare a run with its replay.</summary>
    private sealed class RecordingContext(IWorkflowContext inner) : IWorkflowContext
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        public string InstanceId => inner.InstanceId;

        public DateTimeOffset CurrentUtcDateTime => inner.CurrentUtcDateTime;

        public bool IsReplaying => inner.IsReplaying;

        public Task<TResult> CallActivityAsync<TResult>(string name, object? input)
        {
            Calls.Enqueue(name + " " + JsonSerializer.Serialize(input, WorkflowJson.Options));
            return inner.CallActivityAsync<TResult>(name, input);
        }

        public Task<T> WaitForExternalEventAsync<T>(string eventName, TimeSpan timeout) => inner.WaitForExternalEventAsync<T>(eventName, timeout);

        public Task CreateTimerAsync(DateTimeOffset fireAt, CancellationToken cancellationToken) => inner.CreateTimerAsync(fireAt, cancellationToken);

        public void SetCustomStatus(object? status) => inner.SetCustomStatus(status);

        public Guid NewGuid() => inner.NewGuid();

        public void ContinueAsNew(object? newInput) => inner.ContinueAsNew(newInput);
    }

    private static async Task<(MigrationOutcome Outcome, RecordingContext Context)> RunAsync(InMemoryRunJournal journal, FakeActivities activities, int parallelism = 4)
    {
        using var context = await JournalingWorkflowContext.StartAsync(
            Request.MigrationId, journal, activities.InvokeAsync, new NoEvents(), TimeProvider.System, parallelism, _ => { }, CancellationToken.None);
        var recording = new RecordingContext(context);
        return (await MigrationWorkflow.RunAsync(recording, Request), recording);
    }

    [Fact]
    public async Task Replay_FromACompleteJournal_MakesTheSameCallsInTheSameOrderAndRunsNothing()
    {
        var journal = new InMemoryRunJournal();
        var first = new FakeActivities();
        var (outcome, recorded) = await RunAsync(journal, first);

        var replay = new FakeActivities();
        var (replayedOutcome, replayed) = await RunAsync(journal, replay);

        Assert.Equal(recorded.Calls, replayed.Calls);
        Assert.Empty(replay.Invocations);
        Assert.Equal(JsonSerializer.Serialize(outcome), JsonSerializer.Serialize(replayedOutcome));
    }

    [Fact]
    public async Task Resume_AfterACrashInTheSecondPhase_RedoesNoCompletedBatchAndEndsLikeAnUninterruptedRun()
    {
        var uninterrupted = await RunAsync(new InMemoryRunJournal(), new FakeActivities(), parallelism: 1);
        var journal = new InMemoryRunJournal();
        var crashing = new FakeActivities { CrashWhen = (name, input) => name == ActivityNames.LoadBatch && input.Batch!.BatchId == "2-2" };

        await Assert.ThrowsAsync<IOException>(() => RunAsync(journal, crashing, parallelism: 1));
        var resumed = new FakeActivities();
        var (outcome, _) = await RunAsync(journal, resumed, parallelism: 1);

        Assert.Equal(JsonSerializer.Serialize(uninterrupted.Outcome), JsonSerializer.Serialize(outcome));
        Assert.All(crashing.Invocations.Keys, done => Assert.False(resumed.Invocations.ContainsKey(done), $"{done} ran again"));
        Assert.True(resumed.Invocations.ContainsKey("LoadBatch:2-2"));
        Assert.Equal(12, crashing.Invocations.Count(i => i.Key.StartsWith("LoadBatch", StringComparison.Ordinal)) + resumed.Invocations.Count(i => i.Key.StartsWith("LoadBatch", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Replay_WhenTheWorkflowAsksForSomethingElse_RefusesAsNonDeterministic()
    {
        var journal = new InMemoryRunJournal();
        await RunAsync(journal, new FakeActivities());
        using var context = await JournalingWorkflowContext.StartAsync(
            Request.MigrationId, journal, new FakeActivities().InvokeAsync, new NoEvents(), TimeProvider.System, 1, _ => { }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<NonDeterministicWorkflowException>(() => context.CallActivityAsync<AuditResult>(ActivityNames.Audit, new ActivityInput(Request)));

        Assert.Contains("'Stage'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewGuidAndClock_OnReplay_AreTheSameAsTheFirstTime()
    {
        var journal = new InMemoryRunJournal();
        using var first = await JournalingWorkflowContext.StartAsync("g-1", journal, new FakeActivities().InvokeAsync, new NoEvents(), TimeProvider.System, 1, _ => { }, CancellationToken.None);
        var guid = first.NewGuid();
        var now = first.CurrentUtcDateTime;
        await Task.Delay(20);

        using var second = await JournalingWorkflowContext.StartAsync("g-1", journal, new FakeActivities().InvokeAsync, new NoEvents(), TimeProvider.System, 1, _ => { }, CancellationToken.None);

        Assert.Equal(guid, second.NewGuid());
        Assert.Equal(now, second.CurrentUtcDateTime);
        Assert.NotEqual(guid, second.NewGuid());
    }
}
