using Flit.Core.Workflow;
using Flit.Functions.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;

namespace Flit.Functions.Tests;

/// <summary>
/// The engine replays an orchestrator's history on every episode: an orchestrator through our workflow port that
/// schedules something else on replay is failed by the engine, and the migration workflow (tested elsewhere) is not.
/// This is the check that keeps the workflow's determinism rules honest.
/// </summary>
public sealed class ReplayDeterminismTests
{
    private static int _episodes;

    [Fact]
    public async Task WorkflowThatSchedulesSomethingElseOnReplay_IsFailedByTheEngine()
    {
        await using var host = await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<string, string>("Drifting", async (context, _) =>
            {
                var workflow = new DurableWorkflowContext(context);
                // Reads state outside the history: the second episode asks for a different activity at the same place.
                var name = Interlocked.Increment(ref _episodes) == 1 ? "First" : "Other";
                await workflow.CallActivityAsync<string>(name, null);
                return await workflow.CallActivityAsync<string>("First", null);
            });
            registry.AddActivityFunc<string?, string>("First", (_, _) => "first");
            registry.AddActivityFunc<string?, string>("Other", (_, _) => "other");
        }, new DurableTaskTestHostOptions());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Drifting", "go");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("NonDeterministic", done.FailureDetails!.ErrorType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovalWait_TimesOutAsTheWorkflowExpects()
    {
        await using var host = await DurableTaskTestHost.StartAsync(registry =>
            registry.AddOrchestratorFunc<string, string>("Waiting", async (context, _) =>
            {
                try
                {
                    await new DurableWorkflowContext(context).WaitForExternalEventAsync<ApprovalEvent>(WorkflowEvents.Approval, TimeSpan.FromSeconds(1));
                    return "approved";
                }
                catch (TimeoutException)
                {
                    return "timed out";
                }
            }), new DurableTaskTestHostOptions());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiting", "go");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal("timed out", done.ReadOutputAs<string>());
    }
}
