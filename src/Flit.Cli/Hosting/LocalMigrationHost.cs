using System.Text.Json;
using Flit.Activities;
using Flit.Activities.Approval;
using Flit.Activities.Auditing;
using Flit.Activities.Loading;
using Flit.Activities.Partitioning;
using Flit.Activities.Planning;
using Flit.Activities.Preparing;
using Flit.Activities.Proposing;
using Flit.Activities.Registry;
using Flit.Activities.Reporting;
using Flit.Activities.Sources;
using Flit.Activities.Staging;
using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Telemetry;
using Flit.Core.Workflow;
using Flit.Core.Workflow.Local;
using Flit.Destinations.Odoo;
using Flit.Destinations.Rehearsal;
using Flit.Sandbox.Odoo;
using Flit.Sources.Layouts;
using Flit.Storage.Local;
using Microsoft.Extensions.Logging;

namespace Flit.Cli.Hosting;

/// <summary>
/// The local runner: the same workflow and activities as the Durable host, run in-process on the embedded default
/// stores (file staging, SQLite ID map and journal). Every completed activity is journaled, so a run killed at any
/// moment continues with <see cref="RunAsync"/> again (what <c>flit resume</c> does) without redoing finished batches.
/// </summary>
public sealed class LocalMigrationHost : IAsyncDisposable
{
    private readonly Workspace _workspace;
    private readonly LocalRunRequest _request;
    private readonly IRunJournal _journal;
    private readonly MigrationResources _resources;
    private readonly ActivityRegistry _activities;
    private readonly TimeProvider _time;
    private readonly ILogger _logger = CliLogging.Loggers.CreateLogger<LocalMigrationHost>();

    private readonly StatusWriter _status;

    private LocalMigrationHost(Workspace workspace, LocalRunRequest request, MigrationResources resources, IRunJournal journal, TimeProvider time)
    {
        _workspace = workspace;
        _request = request;
        _resources = resources;
        _journal = journal;
        _time = time;
        _activities = new ActivityRegistry(time, CliLogging.Loggers, FlitMetrics.Shared);
        _status = new StatusWriter(workspace, request.Migration.MigrationId);
    }

    public IStagingStore Store => _resources.Store;

    /// <summary>Where a staged item of this migration is, for a person to open.</summary>
    public string Where(string path) => _workspace.Stores.Where(_request.Migration.MigrationId, path);

    public LocalRunRequest Request => _request;

    public IStagedExports Exports => _resources.Exports;

    public IMappingSource Mappings => _resources.Mappings;

    public IDestination Destination => _resources.Destination;

    /// <summary>The folder the delta window watches for newer exports (<c>flit delta --watch</c>).</summary>
    public LocalExportWatch? Watch { get; set; }

    public static async Task<LocalMigrationHost> OpenAsync(Workspace workspace, LocalRunRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Migration.MigrationId;
        var store = workspace.Stores.Staging(id);
        var idMap = await workspace.Stores.OpenIdMapAsync(id, cancellationToken);
        var journal = await workspace.Stores.OpenJournalAsync(id, cancellationToken);
        IDestination destination;
        using (ActivityTelemetry.BeginRunScope(CliLogging.Loggers.CreateLogger<LocalMigrationHost>(), id, request.RunId))
        {
            // The destination's connection (its version and protocol) is logged as the migration's.
            destination = await OpenDestinationAsync(workspace, request, cancellationToken);
        }

        return new LocalMigrationHost(workspace, request, new MigrationResources(request.Migration.Pair, store, idMap, workspace.Stores.Approvals, destination), journal, time);
    }

    /// <summary>The destinations the flit command opens: the rehearsal, the in-process Odoo sandbox, an Odoo server.</summary>
    private static IEnumerable<IDestinationFactory> DestinationFactories()
    {
        var odoo = new OdooDestinationFactory(CliLogging.Loggers, FlitMetrics.Shared);
        return [new RehearsalDestinationFactory(), new SandboxDestinationFactory(odoo), odoo];
    }

    private static async Task<IDestination> OpenDestinationAsync(Workspace workspace, LocalRunRequest request, CancellationToken cancellationToken)
    {
        var target = new DestinationTarget(
            request.Target,
            request.Migration.MigrationId,
            request.DestinationUsers,
            SecretFromEnvironment(request.Target),
            workspace.DestinationFolder(request.Migration.MigrationId));
        try
        {
            return await Core.Destinations.DestinationFactories.OpenAsync(DestinationFactories(), target, cancellationToken);
        }
        catch (DestinationTargetException e)
        {
            throw e.Unreachable || !Uri.TryCreate(request.Target, UriKind.Absolute, out var uri)
                ? new UserFacingException(e.Message, e.Unreachable ? ExitCodes.BadInput : ExitCodes.Usage)
                : new UserFacingException($"{e.Message} flit reads a target's secrets from the environment: FLIT_{uri.Scheme.ToUpperInvariant()}_API_KEY or FLIT_{uri.Scheme.ToUpperInvariant()}_PASSWORD.", ExitCodes.Usage);
        }
    }

    /// <summary>A target's secrets come from the environment, never from the command line: <c>ApiKey</c> of an
    /// <c>odoo://</c> target is <c>FLIT_ODOO_API_KEY</c>.</summary>
    private static Func<string, string?> SecretFromEnvironment(string target)
    {
        var scheme = Uri.TryCreate(target, UriKind.Absolute, out var uri) ? uri.Scheme.ToUpperInvariant() : target.ToUpperInvariant();
        return name => Environment.GetEnvironmentVariable($"FLIT_{scheme}_{string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? $"_{c}" : $"{char.ToUpperInvariant(c)}"))}");
    }

    /// <summary>Copies a client's export folder into the run's drop (what a blob upload does in Azure). The drop then
    /// holds exactly that export: files an earlier upload left there (a newer export without them) are removed.</summary>
    public async Task UploadAsync(string exportsFolder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(exportsFolder))
        {
            throw new UserFacingException($"The exports folder '{exportsFolder}' does not exist.");
        }

        var prefix = _request.Migration.ExportPrefix.TrimEnd('/');
        var uploaded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(exportsFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(exportsFolder, file).Replace('\\', '/');
            await using var source = File.OpenRead(file);
            await using var target = await Store.OpenWriteAsync($"{prefix}/{relative}", cancellationToken);
            await source.CopyToAsync(target, cancellationToken);
            await target.CommitAsync(cancellationToken);
            uploaded.Add($"{prefix}/{relative}");
        }

        await Store.DeleteOthersAsync(prefix, uploaded, cancellationToken);
    }

    /// <summary>Runs (or resumes) the workflow to its end; status changes go to <paramref name="onStatus"/>.</summary>
    public async Task<MigrationOutcome> RunAsync(Action<MigrationStatus> onStatus, int parallelism, CancellationToken cancellationToken)
    {
        using var scope = ActivityTelemetry.BeginRunScope(_logger, _request.Migration.MigrationId, _request.RunId);
        var started = _time.GetTimestamp();
        _logger.RunStarting(_request.Attempt, _request.Migration.Mode.ToString(), _request.Migration.Pair, Destination.Kind, parallelism);
        using var context = await StartContextAsync(_request.RunId, onStatus, parallelism, cancellationToken);
        var outcome = await MigrationWorkflow.RunAsync(context, _request.Migration);
        _logger.RunFinished((long)_time.GetElapsedTime(started).TotalMilliseconds, outcome.Status, outcome.Reconciliation?.Failed ?? 0, outcome.Reconciliation?.Conflicts ?? 0);
        return outcome;
    }

    /// <summary>
    /// Runs the delta window's eternal workflow from the generation it is in until the window closes: each generation
    /// under a journal of its own (Durable's ContinueAsNew), its input saved before it starts, so a kill at any moment
    /// resumes that generation — and the pass in it — without redoing completed batches.
    /// </summary>
    public async Task RunDeltaWindowAsync(DeltaWindowInput first, Action<MigrationStatus> onStatus, Func<DeltaGeneration, Task> onGeneration, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onGeneration);
        var id = _request.Migration.MigrationId;
        var state = await _workspace.LoadDeltaWatchAsync(id, cancellationToken) ?? new DeltaWatchState(1, JsonSerializer.Serialize(first, WorkflowJson.Options));
        while (true)
        {
            await _workspace.SaveDeltaWatchAsync(id, state, cancellationToken);
            var input = JsonSerializer.Deserialize<DeltaWindowInput>(state.InputJson, WorkflowJson.Options)!;
            using var context = await StartContextAsync(state.InstanceId(id), onStatus, parallelism, cancellationToken);
            var generation = await DeltaWorkflow.RunAsync(context, input);
            await onGeneration(generation);
            if (context.ContinuedAsNewWith is not { } next)
            {
                return;
            }

            state = new DeltaWatchState(state.Generation + 1, next);
        }
    }

    private Task<JournalingWorkflowContext> StartContextAsync(string runId, Action<MigrationStatus> onStatus, int parallelism, CancellationToken cancellationToken)
    {
        var id = _request.Migration.MigrationId;
        return JournalingWorkflowContext.StartAsync(runId, _journal, InvokeAsync, new ApprovalEvents(_workspace.Stores.Approvals, id), _time, parallelism, status =>
        {
            if (status is MigrationStatus s)
            {
                _status.Post(s);
                onStatus(s);
            }
        }, cancellationToken);
    }

    /// <summary>Runs one activity by name: the registry both hosts share, plus the local delta window's watched
    /// folder.</summary>
    public async Task<string> InvokeAsync(string name, string inputJson, CancellationToken cancellationToken)
    {
        if (name != ActivityNames.FindNewExport)
        {
            return await _activities.InvokeAsync(name, inputJson, _resources, cancellationToken);
        }

        return await ActivityTelemetry.RunAsync(_logger, name, null, _time, async () =>
        {
            var find = JsonSerializer.Deserialize<FindExportInput>(inputJson, WorkflowJson.Options)!;
            var watch = Watch ?? throw new InvalidOperationException("The delta window runs with a watched folder (flit delta --watch).");
            return JsonSerializer.Serialize(await watch.FindAsync(this, find, cancellationToken), WorkflowJson.Options);
        });
    }

    /// <summary>Undoes the migration's writes (see <see cref="RollbackActivity"/>).</summary>
    public async Task<RollbackReport> RollbackAsync(bool force, CancellationToken cancellationToken)
    {
        using var scope = ActivityTelemetry.BeginRunScope(_logger, _request.Migration.MigrationId, _request.RunId);
        _logger.RollbackRequested("migration", force);
        return await _activities.RollbackAsync(_request.Migration, _resources, force, cancellationToken);
    }

    /// <summary>Writes the migration's summary over its runs (see <see cref="MigrationSummaryActivity"/>); returns its path.</summary>
    public Task<string> SummarizeAsync(CancellationToken cancellationToken) =>
        new MigrationSummaryActivity(Store, _time).RunAsync(new ActivityInput(_request.Migration), cancellationToken);

    /// <summary>Undoes one delta pass of the migration (see <see cref="PassRollbackActivity"/>).</summary>
    public async Task<RollbackReport> RollbackPassAsync(string runId, bool force, CancellationToken cancellationToken)
    {
        using var scope = ActivityTelemetry.BeginRunScope(_logger, _request.Migration.MigrationId, runId);
        _logger.RollbackRequested("delta-pass", force);
        return await _activities.RollbackPassAsync(_request.Migration, runId, _resources, force, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _status.DisposeAsync();
        }
        finally
        {
            await _resources.DisposeAsync();
            await DisposeStoreAsync(_journal);
        }
    }

    private static async ValueTask DisposeStoreAsync(object store)
    {
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>The approval event, locally: an approval recorded by <c>flit approve</c>.</summary>
    private sealed class ApprovalEvents(IApprovalStore approvals, string migrationId) : IExternalEventSource
    {
        public async Task<string?> TryGetAsync(string instanceId, string eventName, CancellationToken cancellationToken) =>
            eventName == WorkflowEvents.Approval && await approvals.GetAsync(migrationId, cancellationToken) is { } approval
                ? JsonSerializer.Serialize(new ApprovalEvent(approval.SpecHash, approval.ApprovedBy, approval.ApprovedAt), WorkflowJson.Options)
                : null;
    }
}
