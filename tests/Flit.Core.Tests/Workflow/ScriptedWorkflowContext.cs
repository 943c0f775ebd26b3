using Flit.Core.Workflow;

namespace Flit.Core.Tests.Workflow;

/// <summary>A context whose activities answer from a script; records every call in order.</summary>
internal sealed class ScriptedWorkflowContext(Func<string, ActivityInput, object> answer) : IWorkflowContext
{
    private readonly List<(string Name, ActivityInput Input)> _calls = [];

    public IReadOnlyList<(string Name, ActivityInput Input)> Calls => _calls;

    public List<MigrationStatus> Statuses { get; } = [];

    public ApprovalEvent? PendingApproval { get; set; }

    public string InstanceId => "m-1";

    public DateTimeOffset CurrentUtcDateTime { get; } = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    public bool IsReplaying => false;

    public Task<TResult> CallActivityAsync<TResult>(string name, object? input)
    {
        var activityInput = (ActivityInput)input!;
        lock (_calls)
        {
            _calls.Add((name, activityInput));
        }

        return Task.FromResult((TResult)answer(name, activityInput));
    }

    public Task<T> WaitForExternalEventAsync<T>(string eventName, TimeSpan timeout) =>
        PendingApproval is { } approval && typeof(T) == typeof(ApprovalEvent)
            ? Task.FromResult((T)(object)approval)
            : Task.FromException<T>(new TimeoutException($"no {eventName} event within {timeout}"));

    public Task CreateTimerAsync(DateTimeOffset fireAt, CancellationToken cancellationToken) => Task.CompletedTask;

    public void SetCustomStatus(object? status) => Statuses.Add((MigrationStatus)status!);

    public Guid NewGuid() => Guid.Empty;

    public void ContinueAsNew(object? newInput) => throw new NotSupportedException("The migration workflow never restarts itself.");
}
