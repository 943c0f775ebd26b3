using Flit.Core.Workflow;
using Microsoft.DurableTask;

namespace Flit.Functions.Orchestration;

/// <summary>
/// The workflow port on Durable Functions: each call goes to the <see cref="TaskOrchestrationContext"/>, so the
/// engine records and replays it. Activities are retried on failure (every activity is safe to run again: a load
/// batch follows its pre-write snapshot); child workflows are sub-orchestrations with histories of their own.
/// </summary>
internal sealed class DurableWorkflowContext(TaskOrchestrationContext context) : IWorkflowContext
{
    /// <summary>Three attempts, 10 s apart then doubling: a destination's or the storage's brief outage is waited out,
    /// a real failure fails the run after about a minute.</summary>
    internal static readonly TaskOptions ActivityRetry =
        TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(10), backoffCoefficient: 2));

    public string InstanceId => context.InstanceId;

    public DateTimeOffset CurrentUtcDateTime => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));

    public bool IsReplaying => context.IsReplaying;

    public Task<TResult> CallActivityAsync<TResult>(string name, object? input) =>
        context.CallActivityAsync<TResult>(name, input, ActivityRetry);

    public async Task<T> WaitForExternalEventAsync<T>(string eventName, TimeSpan timeout)
    {
        try
        {
            return await context.WaitForExternalEvent<T>(eventName, timeout);
        }
        catch (TaskCanceledException e)
        {
            // The engine cancels the wait when its timer fires; the workflow's contract is a TimeoutException.
            throw new TimeoutException($"No '{eventName}' event within {timeout}.", e);
        }
    }

    public Task CreateTimerAsync(DateTimeOffset fireAt, CancellationToken cancellationToken) =>
        context.CreateTimer(fireAt.UtcDateTime, cancellationToken);

    public void SetCustomStatus(object? status) => context.SetCustomStatus(status);

    public Guid NewGuid() => context.NewGuid();

    public void ContinueAsNew(object? newInput) => context.ContinueAsNew(newInput, preserveUnprocessedEvents: true);

    public Task<TResult> CallSubWorkflowAsync<TInput, TResult>(string name, string instanceSuffix, TInput input, Func<IWorkflowContext, TInput, Task<TResult>> workflow) =>
        context.CallSubOrchestratorAsync<TResult>(name, input, new SubOrchestrationOptions(new TaskOptions(), $"{context.InstanceId}-{instanceSuffix}"));
}
