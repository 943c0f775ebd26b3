using System.Text.Json;
using Flit.Core.Ports;
using Flit.Core.Workflow;
using Flit.Core.Workflow.Local;
using Flit.Functions.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Flit.Functions.Tests;

/// <summary>
/// The migration orchestration on the real Durable Task engine: the app's orchestrator and activity functions, the
/// shared activities over Azurite-backed stores, the Odoo sandbox as the destination.
/// </summary>
public sealed class MigrationOrchestrationTests(DurableHostFixture host) : IClassFixture<DurableHostFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task StartedMigration_WaitsForApproval_ThenLoadsEachPhaseAsASubOrchestration()
    {
        var request = await RegisterAsync("orch-approve", RunMode.Full);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(MigrationWorkflow.Name, request, new StartOrchestrationOptions(request.MigrationId));

        var waiting = await WaitForStageAsync(request.MigrationId, "awaiting-approval");
        Assert.Equal(0, host.Odoo.RecordsWritten);
        var specHash = waiting.Detail!.Replace("spec ", "", StringComparison.Ordinal);

        // The approve endpoint's two steps: the approval recorded (it is what counts), then the event that wakes the run.
        await host.Stores.Approvals.RecordAsync(new ApprovalRecord(request.MigrationId, specHash, "admin@acme.example", TimeProvider.System.GetUtcNow(), null), CancellationToken.None);
        await host.Client.RaiseEventAsync(request.MigrationId, WorkflowEvents.Approval, new ApprovalEvent(specHash, "admin@acme.example", TimeProvider.System.GetUtcNow()));

        var done = await WaitForCompletionAsync(request.MigrationId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var outcome = done.ReadOutputAs<MigrationOutcome>()!;
        Assert.Equal(MigrationWorkflow.DeltaWindowOpen, outcome.Status);
        Assert.NotNull(outcome.Reconciliation);
        Assert.Equal(0, outcome.Reconciliation.Failed);
        Assert.True(outcome.Reconciliation.Created > 60, $"{outcome.Reconciliation.Created} created");
        Assert.True(host.Odoo.RecordsWritten >= outcome.Reconciliation.Created, $"{host.Odoo.RecordsWritten} written in Odoo");

        // Every phase ran as a sub-orchestration of its own, completed; the parent's history holds one call per phase.
        var children = await ChildrenAsync(request.MigrationId);
        Assert.NotEmpty(children);
        Assert.All(children, c => Assert.Equal(OrchestrationRuntimeStatus.Completed, c.RuntimeStatus));
        Assert.All(children, c => Assert.Equal(LoadPhaseWorkflow.Name, c.Name));
    }

    [Fact]
    public async Task Migration_NotApprovedInTime_EndsNotApprovedAndWritesNothing()
    {
        var before = host.Odoo.RecordsWritten;
        var request = await RegisterAsync("orch-timeout", RunMode.Sample) with { ApprovalTimeout = TimeSpan.FromSeconds(2) };
        await host.Client.ScheduleNewOrchestrationInstanceAsync(MigrationWorkflow.Name, request, new StartOrchestrationOptions(request.MigrationId));

        var done = await WaitForCompletionAsync(request.MigrationId);
        var outcome = done.ReadOutputAs<MigrationOutcome>()!;
        Assert.Equal("not-approved", outcome.Status);
        Assert.Contains("arrived in time", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(before, host.Odoo.RecordsWritten);
    }

    [Fact]
    public async Task Migration_WhoseDestinationConnectionIsUnknown_FailsWithTheSettingToAdd()
    {
        var request = await RegisterAsync("orch-noconn", RunMode.Sample, connection: "nowhere");
        await host.Client.ScheduleNewOrchestrationInstanceAsync(MigrationWorkflow.Name, request, new StartOrchestrationOptions(request.MigrationId));

        var done = await WaitForCompletionAsync(request.MigrationId);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("Flit__Connections__nowhere__Target", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    private async Task<MigrationRequest> RegisterAsync(string migrationId, RunMode mode, string connection = DurableHostFixture.Connection)
    {
        var request = new MigrationRequest(migrationId, "acme", "oncourse-odoo", "drop", mode, BatchSize: 25);
        await host.UploadAsync(migrationId);

        var registration = new MigrationRegistration(request, connection, "engineer@flit.example", TimeProvider.System.GetUtcNow());
        await host.Stores.State.WriteAsync(migrationId, MigrationRegistration.Document, JsonSerializer.Serialize(registration, WorkflowJson.Options), CancellationToken.None);
        return request;
    }

    private async Task<MigrationStatus> WaitForStageAsync(string instanceId, string stage)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var state = await host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
            if (state?.ReadCustomStatusAs<MigrationStatus>() is { } status && status.Stage == stage)
            {
                return status;
            }

            Assert.False(state?.IsCompleted ?? false, $"{instanceId} ended ({state?.RuntimeStatus}: {state?.FailureDetails?.ErrorMessage}) before reaching {stage}");
            await Task.Delay(200, timeout.Token);
        }
    }

    private async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    private async Task<List<OrchestrationMetadata>> ChildrenAsync(string instanceId)
    {
        var children = new List<OrchestrationMetadata>();
        await foreach (var instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = $"{instanceId}-" }))
        {
            children.Add(instance);
        }

        return children;
    }
}
