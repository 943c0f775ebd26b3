namespace Flit.Core.Workflow;

/// <summary>
/// The small orchestration port the <c>MigrationWorkflow</c> is written against. The Durable Functions host maps it
/// onto <c>TaskOrchestrationContext</c>; the local runner runs it in-process and journals each completed activity.
/// Durable determinism rules apply to code using it: no I/O, no wall clock, no random, no new Guid except
/// through this context; inputs and outputs stay small (references and counts, never record payloads).
/// </summary>
public interface IWorkflowContext
{
    string InstanceId { get; }

    /// <summary>Replay-safe current time.</summary>
    DateTimeOffset CurrentUtcDateTime { get; }

    bool IsReplaying { get; }

    /// <summary>Schedules an activity. Fan-out is several calls awaited together.</summary>
    Task<TResult> CallActivityAsync<TResult>(string name, object? input);

    /// <summary>Waits for an external event (e.g. approval); throws <see cref="TimeoutException"/> after the timeout.</summary>
    Task<T> WaitForExternalEventAsync<T>(string eventName, TimeSpan timeout);

    Task CreateTimerAsync(DateTimeOffset fireAt, CancellationToken cancellationToken);

    void SetCustomStatus(object? status);

    /// <summary>A deterministic Guid (same value on replay).</summary>
    Guid NewGuid();

    /// <summary>
    /// Restarts the workflow, once the current run returns, with <paramref name="newInput"/> and a fresh history under
    /// the same instance id (Durable's <c>ContinueAsNew</c>): an eternal loop whose history never grows.
    /// </summary>
    void ContinueAsNew(object? newInput);

    /// <summary>
    /// Runs <paramref name="workflow"/> as a child workflow named <paramref name="name"/> under the instance id
    /// <c>{InstanceId}-{instanceSuffix}</c>: in Durable Functions a sub-orchestration with a history of its own, so the
    /// parent's history holds one call and one result however many activities the child runs. A host without
    /// sub-orchestrations runs it inline, on this context.
    /// </summary>
    Task<TResult> CallSubWorkflowAsync<TInput, TResult>(string name, string instanceSuffix, TInput input, Func<IWorkflowContext, TInput, Task<TResult>> workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return workflow(this, input);
    }
}
