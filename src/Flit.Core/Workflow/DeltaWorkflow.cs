namespace Flit.Core.Workflow;

/// <summary>One generation of the delta window: the migration, the window's deadline, how often to look for a newer
/// export, and what was loaded last.</summary>
/// <param name="Request">The migration (its full run's request).</param>
/// <param name="ClosesAt">The window's deadline.</param>
/// <param name="PollInterval">How long to wait when no newer export has arrived.</param>
/// <param name="NextPass">The number the next pass gets.</param>
/// <param name="LastExport">The fingerprint of the export the last pass loaded (null before the first).</param>
public sealed record DeltaWindowInput(MigrationRequest Request, DateTimeOffset ClosesAt, TimeSpan PollInterval, int NextPass = 1, string? LastExport = null);

/// <summary>What <see cref="ActivityNames.FindNewExport"/> is asked: the migration, and the export seen last.</summary>
public sealed record FindExportInput(MigrationRequest Request, string? LastExport);

/// <summary>A newer export, already in the drop the pass stages from, and its fingerprint.</summary>
public sealed record NewExport(string ExportPrefix, string Fingerprint, string Description);

/// <summary>The window's final reconciliation: the migration's records per object and how many the destination holds.</summary>
public sealed record WindowCloseResult(string ReportPath, long Records, long Found);

/// <summary>What one generation did: a pass (its number, run and outcome), nothing, or the window's close.</summary>
public sealed record DeltaGeneration(string Status, int? Pass = null, string? RunId = null, MigrationOutcome? Outcome = null, WindowCloseResult? Close = null);

/// <summary>
/// The delta-pickup window (DESIGN.md step 10) as an eternal orchestration under the instance id
/// <c>delta-{migration}</c>: each generation looks for a newer export; finding one, it runs a pass — the migration
/// workflow in delta mode, with the shared activities — and restarts with the next pass number; finding none, it waits
/// on the context's timer and restarts. Restarting (<see cref="IWorkflowContext.ContinueAsNew"/>) gives every pass a
/// fresh history, and one instance never runs two passes at once. At the deadline it reconciles the whole migration
/// and ends. Deterministic: every decision depends on the input, activity results and the context's clock.
/// </summary>
public static class DeltaWorkflow
{
    public const string Name = "DeltaWorkflow";

    public const string PassRan = "delta-pass-completed";

    public const string NothingNew = "no-newer-export";

    public const string Closed = "delta-window-closed";

    public static string InstanceId(string migrationId) => $"delta-{migrationId}";

    /// <summary>The run id of a pass: its artefacts (outcomes, snapshots, report) are its own.</summary>
    public static string PassRunId(string migrationId, int pass) => $"{migrationId}#delta-{pass}";

    public static async Task<DeltaGeneration> RunAsync(IWorkflowContext context, DeltaWindowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        if (context.CurrentUtcDateTime >= input.ClosesAt)
        {
            context.SetCustomStatus(new MigrationStatus("closing-delta-window", null, 0, 0, $"closed at {input.ClosesAt:O}"));
            var close = await context.CallActivityAsync<WindowCloseResult>(ActivityNames.CloseDeltaWindow, new ActivityInput(request));
            context.SetCustomStatus(new MigrationStatus(Closed, null, 0, 0, $"{close.Found:N0} of {close.Records:N0} records found in the destination"));
            return new DeltaGeneration(Closed, Close: close);
        }

        var found = await context.CallActivityAsync<NewExport?>(ActivityNames.FindNewExport, new FindExportInput(request, input.LastExport));
        if (found is null)
        {
            context.SetCustomStatus(new MigrationStatus(MigrationWorkflow.DeltaWindowOpen, null, 0, 0, $"until {input.ClosesAt:O}; waiting for a newer export"));
            await WaitAsync(context, input);
            context.ContinueAsNew(input);
            return new DeltaGeneration(NothingNew);
        }

        var runId = PassRunId(request.MigrationId, input.NextPass);
        var outcome = await MigrationWorkflow.RunAsync(context, request with { Mode = RunMode.Delta, ExportPrefix = found.ExportPrefix }, runId);
        if (outcome.Status != MigrationWorkflow.DeltaPassCompleted)
        {
            // Not approved (the newer export needs its mapping approved) or blocked before loading: nothing was
            // written, and the same export is tried again after the poll interval.
            await WaitAsync(context, input);
            context.ContinueAsNew(input);
            return new DeltaGeneration(outcome.Status, input.NextPass, runId, outcome);
        }

        context.ContinueAsNew(input with { NextPass = input.NextPass + 1, LastExport = found.Fingerprint });
        return new DeltaGeneration(PassRan, input.NextPass, runId, outcome);
    }

    private static Task WaitAsync(IWorkflowContext context, DeltaWindowInput input)
    {
        var next = context.CurrentUtcDateTime + input.PollInterval;
        return context.CreateTimerAsync(next < input.ClosesAt ? next : input.ClosesAt, CancellationToken.None);
    }
}
