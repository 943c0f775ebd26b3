using System.Text.Json;
using Flit.Activities;
using Flit.Activities.Approval;
using Flit.Activities.Auditing;
using Flit.Activities.Loading;
using Flit.Activities.Partitioning;
using Flit.Activities.Planning;
using Flit.Activities.Preparing;
using Flit.Activities.Proposing;
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
using Flit.Destinations.Odoo.Rpc;
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
    private readonly IIdMap _idMap;
    private readonly IRunJournal _journal;
    private readonly IDestination _destination;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers = CliLogging.Loggers;
    private readonly ILogger _logger = CliLogging.Loggers.CreateLogger<LocalMigrationHost>();

    private readonly StatusWriter _status;

    private LocalMigrationHost(Workspace workspace, LocalRunRequest request, IStagingStore store, IIdMap idMap, IRunJournal journal, IDestination destination, TimeProvider time)
    {
        _workspace = workspace;
        _request = request;
        Store = store;
        _idMap = idMap;
        _journal = journal;
        _destination = destination;
        _time = time;
        _status = new StatusWriter(workspace, request.Migration.MigrationId);
        var layout = SourceLayouts.Get(MappingSpecLoader.LoadShipped(request.Migration.Pair).Source);
        Exports = new StagedExportFiles(store, _ => layout);
        Mappings = new StagedMappingSource(store, Exports, destination);
    }

    public IStagingStore Store { get; }

    /// <summary>Where a staged item of this migration is, for a person to open.</summary>
    public string Where(string path) => _workspace.Stores.Where(_request.Migration.MigrationId, path);

    public LocalRunRequest Request => _request;

    public IStagedExports Exports { get; }

    public IMappingSource Mappings { get; }

    public IDestination Destination => _destination;

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

        return new LocalMigrationHost(workspace, request, store, idMap, journal, destination, time);
    }

    private static async Task<IDestination> OpenDestinationAsync(Workspace workspace, LocalRunRequest request, CancellationToken cancellationToken)
    {
        if (request.Target.Equals("rehearsal", StringComparison.OrdinalIgnoreCase))
        {
            return await RehearsalDestination.OpenAsync(workspace.DestinationFolder(request.Migration.MigrationId), request.DestinationUsers, cancellationToken);
        }

        if (request.Target.Equals("sandbox", StringComparison.OrdinalIgnoreCase))
        {
            // An Odoo sandbox in this process, holding the destination's users: for the demo (its data lives as long
            // as the process; resumable runs use `flit sandbox odoo` and an odoo:// target).
            var sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions { Users = SandboxUser.AdminAnd(request.DestinationUsers) }, cancellationToken);
            return new OwningDestination(await ConnectOdooAsync(new Uri(sandbox.BaseAddress, "/"), "sandbox", "admin", "admin", null, request.Migration.MigrationId, cancellationToken), sandbox);
        }

        if (Uri.TryCreate(request.Target, UriKind.Absolute, out var target) && target.Scheme == "odoo")
        {
            // odoo://login@host:port/database; the secret comes from the environment, never from the command line.
            var login = Uri.UnescapeDataString(target.UserInfo);
            var database = target.AbsolutePath.Trim('/');
            var apiKey = Environment.GetEnvironmentVariable("FLIT_ODOO_API_KEY");
            var password = Environment.GetEnvironmentVariable("FLIT_ODOO_PASSWORD");
            if (login.Length == 0 || database.Length == 0 || (apiKey is null && password is null))
            {
                throw new UserFacingException("An Odoo target is odoo://login@host:port/database, with FLIT_ODOO_API_KEY or FLIT_ODOO_PASSWORD set in the environment.", ExitCodes.Usage);
            }

            var scheme = target.Port == 443 ? "https" : "http";
            return await ConnectOdooAsync(new Uri($"{scheme}://{target.Host}:{target.Port}/"), database, login, password, apiKey, request.Migration.MigrationId, cancellationToken);
        }

        throw new UserFacingException($"Unknown target '{request.Target}'. Targets: rehearsal, sandbox, odoo://login@host:port/database.", ExitCodes.Usage);
    }

    private static async Task<IDestination> ConnectOdooAsync(Uri url, string database, string login, string? password, string? apiKey, string migrationId, CancellationToken cancellationToken)
    {
        var options = new OdooClientOptions { Url = url, Database = database, Login = login, Password = password, ApiKey = apiKey, MigrationId = migrationId };
        var client = new OdooClient(options, null, CliLogging.Loggers.CreateLogger<OdooClient>(), FlitMetrics.Shared);
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch (Exception e) when (e is OdooAccessDeniedException or HttpRequestException)
        {
            client.Dispose();
            throw new UserFacingException($"Cannot reach Odoo at {url} (database {database}, login {login}): {e.Message}");
        }

        return new OdooDestination(client);
    }

    /// <summary>A destination that also owns a resource to stop with it (the in-process sandbox).</summary>
    private sealed class OwningDestination(IDestination inner, IAsyncDisposable owned) : IDestination
    {
        public string Kind => inner.Kind;

        public Task<DestinationSchema> DescribeAsync(IReadOnlyCollection<string> models, CancellationToken cancellationToken) => inner.DescribeAsync(models, cancellationToken);

        public Task<IReadOnlyCollection<string>?> ListUserEmailsAsync(CancellationToken cancellationToken) => inner.ListUserEmailsAsync(cancellationToken);

        public Task<PrepareOutcome> PrepareAsync(PreparePlan plan, CancellationToken cancellationToken) => inner.PrepareAsync(plan, cancellationToken);

        public Task<IReadOnlyDictionary<string, PreImage>> SnapshotAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken) => inner.SnapshotAsync(model, batch, cancellationToken);

        public Task<IReadOnlyList<UpsertOutcome>> UpsertAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken) => inner.UpsertAsync(model, batch, cancellationToken);

        public Task<IReadOnlyList<ReadBackRecord>> ReadBackAsync(string model, IReadOnlyCollection<string> externalIds, IReadOnlyCollection<string> fields, CancellationToken cancellationToken) =>
            inner.ReadBackAsync(model, externalIds, fields, cancellationToken);

        public Task<RollbackOutcome> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken) => inner.RollbackAsync(request, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await owned.DisposeAsync();
        }
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
        _logger.RunStarting(_request.Attempt, _request.Migration.Mode.ToString(), _request.Migration.Pair, _destination.Kind, parallelism);
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

    /// <summary>Runs one activity by name: the registry both hosts share. Each runs in its log scope (migration, run,
    /// stage, object type, batch), its start and finish logged with the duration.</summary>
    public async Task<string> InvokeAsync(string name, string inputJson, CancellationToken cancellationToken)
    {
        var scoped = name == ActivityNames.FindNewExport ? null : JsonSerializer.Deserialize<ActivityInput>(inputJson, WorkflowJson.Options);
        return await ActivityTelemetry.RunAsync(_logger, name, scoped, _time, () => RunActivityAsync(name, inputJson, cancellationToken));
    }

    private async Task<string> RunActivityAsync(string name, string inputJson, CancellationToken cancellationToken)
    {
        if (name == ActivityNames.FindNewExport)
        {
            var find = JsonSerializer.Deserialize<FindExportInput>(inputJson, WorkflowJson.Options)!;
            var watch = Watch ?? throw new InvalidOperationException("The delta window runs with a watched folder (flit delta --watch).");
            return JsonSerializer.Serialize(await watch.FindAsync(this, find, cancellationToken), WorkflowJson.Options);
        }

        var input = JsonSerializer.Deserialize<ActivityInput>(inputJson, WorkflowJson.Options)
            ?? throw new ArgumentException($"Activity {name} got an empty input.", nameof(inputJson));
        object output = name switch
        {
            ActivityNames.Stage => await new StageActivity(Store, _time).RunAsync(input, cancellationToken),
            ActivityNames.Audit => await new AuditActivity(Store, Exports, _destination).RunAsync(input, cancellationToken),
            ActivityNames.Propose => await new ProposeActivity(Store, Exports).RunAsync(input, cancellationToken),
            ActivityNames.CheckApproval => await new CheckApprovalActivity(_workspace.Stores.Approvals, _loggers.CreateLogger<CheckApprovalActivity>()).RunAsync(input, cancellationToken),
            ActivityNames.Prepare => await new PrepareActivity(Store, Exports, _destination, Mappings).RunAsync(input, cancellationToken),
            ActivityNames.Partition => await new PartitionActivity(Store, Exports, Mappings, _idMap).RunAsync(input, cancellationToken),
            ActivityNames.LoadBatch => await new LoadBatchActivity(Store, _idMap, _destination, Mappings, _time, _loggers.CreateLogger<LoadBatchActivity>(), FlitMetrics.Shared).RunAsync(input, cancellationToken),
            ActivityNames.PlanRetry => await new PlanRetryActivity(Store).RunAsync(input, cancellationToken),
            ActivityNames.Reconcile => await new ReconcileActivity(Store, _idMap, _destination, Mappings, _time).RunAsync(input, cancellationToken),
            ActivityNames.Report => await new ReportActivity(Store).RunAsync(input, cancellationToken),
            ActivityNames.CloseDeltaWindow => await new CloseDeltaWindowActivity(Store, _idMap, _destination, _time).RunAsync(input, cancellationToken),
            ActivityNames.SummarizeMigration => await SummarizeAsync(cancellationToken),
            _ => throw new InvalidOperationException($"Unknown activity '{name}'."),
        };
        return JsonSerializer.Serialize(output, output.GetType(), WorkflowJson.Options);
    }

    /// <summary>Undoes the migration's writes (see <see cref="RollbackActivity"/>).</summary>
    public async Task<RollbackReport> RollbackAsync(bool force, CancellationToken cancellationToken)
    {
        using var scope = ActivityTelemetry.BeginRunScope(_logger, _request.Migration.MigrationId, _request.RunId);
        _logger.RollbackRequested("migration", force);
        return await new RollbackActivity(Store, _idMap, _destination, _time, _loggers.CreateLogger<RollbackActivity>()).RunAsync(_request.Migration, force, RollbackActivity.DefaultRetention, cancellationToken);
    }

    /// <summary>Writes the migration's summary over its runs (see <see cref="MigrationSummaryActivity"/>); returns its path.</summary>
    public Task<string> SummarizeAsync(CancellationToken cancellationToken) =>
        new MigrationSummaryActivity(Store, _time).RunAsync(new ActivityInput(_request.Migration), cancellationToken);

    /// <summary>Undoes one delta pass of the migration (see <see cref="PassRollbackActivity"/>).</summary>
    public async Task<RollbackReport> RollbackPassAsync(string runId, bool force, CancellationToken cancellationToken)
    {
        using var scope = ActivityTelemetry.BeginRunScope(_logger, _request.Migration.MigrationId, runId);
        _logger.RollbackRequested("delta-pass", force);
        return await new PassRollbackActivity(Store, _idMap, _destination, _time, _loggers.CreateLogger<PassRollbackActivity>()).RunAsync(_request.Migration, runId, force, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _status.DisposeAsync();
        }
        finally
        {
            await _destination.DisposeAsync();
            await DisposeStoreAsync(_journal);
            await DisposeStoreAsync(_idMap);
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
