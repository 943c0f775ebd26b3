using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flit.Activities;
using Flit.Activities.Approval;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Workflow;
using Flit.Core.Workflow.Local;
using Flit.Functions.Hosting;
using Flit.Functions.Orchestration;
using Flit.Storage.Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flit.Functions.Http;

/// <summary>
/// The engineers' API: start a migration, watch it, list a tenant's, approve its mapping, read its report. Every
/// function needs a function key (the host checks it); approve also needs the approver role when one is configured. A
/// caller whose principal carries a tenant claim sees only that tenant's migrations: another's are answered 404, as
/// if they did not exist. No answer carries a destination secret: connections are named by reference.
/// </summary>
public sealed partial class MigrationsApi(AzureMigrationStores stores, MigrationResourceCache migrations, IOptions<FlitOptions> options, TimeProvider time, ILogger<MigrationsApi> logger)
{
    private FlitOptions Settings => options.Value;

    [Function("StartMigration")]
    public async Task<IActionResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "migrations")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (!TryCaller(request, out var caller, out var refused))
        {
            return refused;
        }

        StartMigrationBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<StartMigrationBody>(request.Body, ApiResults.Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return ApiResults.BadRequest($"The body is not a migration request: {e.Message}");
        }

        if (body is null)
        {
            return ApiResults.BadRequest("The body is empty: send tenant, pair, connection and mode.");
        }

        var problems = Validate(body, caller);
        if (problems.Count > 0)
        {
            return ApiResults.BadRequest(string.Join(" ", problems));
        }

        var id = body.MigrationId ?? $"{body.Tenant}-{Guid.NewGuid():N}"[..Math.Min(body.Tenant!.Length + 13, 60)];
        if (await client.GetInstanceAsync(id, cancellationToken) is not null || await migrations.RegistrationAsync(id, cancellationToken) is not null)
        {
            return ApiResults.Conflict($"Migration '{id}' exists already: start another id, or approve, roll back or run a delta pass of this one.");
        }

        var o = body.Options ?? new StartOptions();
        var migration = new MigrationRequest(
            id,
            body.Tenant!,
            body.Pair!,
            body.ExportPrefix ?? "drop",
            body.Mode!.Equals("full", StringComparison.OrdinalIgnoreCase) ? RunMode.Full : RunMode.Sample,
            BatchSize: o.BatchSize ?? 500,
            SampleSize: o.SampleSize ?? 200,
            ApprovalTimeout: o.ApprovalTimeoutHours is { } approval ? TimeSpan.FromHours(approval) : null,
            DeltaWindow: o.DeltaWindowHours is { } window ? TimeSpan.FromHours(window) : null,
            FallbackOwnerEmail: o.FallbackOwnerEmail,
            Encoding: o.Encoding);
        var registration = new MigrationRegistration(migration, body.Connection!, caller?.Name ?? "function key", time.GetUtcNow());
        await stores.State.WriteAsync(id, MigrationRegistration.Document, JsonSerializer.Serialize(registration, WorkflowJson.Options), cancellationToken);
        await stores.Index.RecordAsync(new MigrationIndexEntry(migration.Tenant, id, migration.Pair, "started", id, time.GetUtcNow()), cancellationToken);
        await client.ScheduleNewOrchestrationInstanceAsync(MigrationWorkflow.Name, migration, new StartOrchestrationOptions(id), cancellationToken);
        logger.MigrationStarted(id, migration.Tenant, migration.Pair, migration.Mode.ToString(), registration.Connection);

        var status = StatusUrl(request, id);
        request.HttpContext.Response.Headers.Location = status;
        return ApiResults.Ok(new { id, instanceId = id, statusUrl = status, approveUrl = $"{status}/approve", reviewUrl = $"{status}/review" }, StatusCodes.Status202Accepted);
    }

    [Function("GetMigration")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "migrations/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (registration, refused) = await FindAsync(request, id, cancellationToken);
        if (registration is null)
        {
            return refused!;
        }

        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        return ApiResults.Ok(Describe(registration, instance, StatusUrl(request, id)));
    }

    [Function("ListMigrations")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "migrations")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (!TryCaller(request, out var caller, out var refused))
        {
            return refused;
        }

        var tenant = request.Query["tenant"].ToString();
        var bound = caller?.ClaimValue(Settings.TenantClaim);
        if (tenant.Length == 0)
        {
            tenant = bound ?? "";
        }

        if (tenant.Length == 0)
        {
            return ApiResults.BadRequest("Name the tenant: GET /api/migrations?tenant=<tenant>.");
        }

        if (bound is not null && bound != tenant)
        {
            return ApiResults.Forbidden($"This caller is bound to tenant '{bound}'.");
        }

        var list = new List<object>();
        await foreach (var entry in stores.Index.ListAsync(tenant, cancellationToken))
        {
            var instance = await client.GetInstanceAsync(entry.MigrationId, getInputsAndOutputs: true, cancellationToken);
            list.Add(new
            {
                id = entry.MigrationId,
                entry.Pair,
                runtimeStatus = instance?.RuntimeStatus.ToString(),
                stage = instance?.ReadCustomStatusAs<MigrationStatus>()?.Stage ?? entry.State,
                statusUrl = StatusUrl(request, entry.MigrationId),
            });
        }

        return ApiResults.Ok(new { tenant, migrations = list });
    }

    [Function("ApproveMigration")]
    public async Task<IActionResult> ApproveAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "migrations/{id}/approve")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var (registration, refused) = await FindAsync(request, id, cancellationToken, approving: true);
        if (registration is null)
        {
            return refused!;
        }

        var caller = ClientPrincipal.From(request);

        ApproveBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ApproveBody>(request.Body, ApiResults.Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return ApiResults.BadRequest($"The body is not an approval: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(body?.SpecHash))
        {
            return ApiResults.BadRequest("Send the hash of the spec you reviewed: { \"specHash\": \"…\" }.");
        }

        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        var status = instance?.ReadCustomStatusAs<MigrationStatus>();
        if (await stores.Approvals.GetAsync(id, cancellationToken) is { } earlier && earlier.SpecHash == body.SpecHash)
        {
            return ApiResults.Conflict($"Spec {body.SpecHash} of migration '{id}' was approved already, by {earlier.ApprovedBy} at {earlier.ApprovedAt:O}.");
        }

        if (status?.Stage != "awaiting-approval" || instance!.IsCompleted)
        {
            return ApiResults.Conflict($"Migration '{id}' is not waiting for an approval (it is {status?.Stage ?? instance?.RuntimeStatus.ToString() ?? "not started"}).");
        }

        var proposed = status.Detail?.Replace("spec ", "", StringComparison.Ordinal);
        if (proposed != body.SpecHash)
        {
            return ApiResults.Conflict($"Spec {body.SpecHash} is not the one migration '{id}' proposes now ({proposed}): review the current proposal and approve its hash.");
        }

        var approvedBy = caller?.Name ?? "function key";
        var at = time.GetUtcNow();
        await CheckApprovalActivity.RecordAsync(stores.Approvals, new ApprovalRecord(id, body.SpecHash, approvedBy, at, body.Comment), logger, cancellationToken);
        await client.RaiseEventAsync(id, WorkflowEvents.Approval, new ApprovalEvent(body.SpecHash, approvedBy, at), cancellationToken);
        return ApiResults.Ok(new { id, specHash = body.SpecHash, approvedBy, approvedAt = at, statusUrl = StatusUrl(request, id) }, StatusCodes.Status202Accepted);
    }

    [Function("RollbackMigration")]
    public async Task<IActionResult> RollbackAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "migrations/{id}/rollback")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var (registration, refused) = await FindAsync(request, id, cancellationToken, approving: true);
        if (registration is null)
        {
            return refused!;
        }

        RollbackBody body;
        try
        {
            body = request.ContentLength is 0 ? new RollbackBody() : await JsonSerializer.DeserializeAsync<RollbackBody>(request.Body, ApiResults.Json, cancellationToken) ?? new RollbackBody();
        }
        catch (JsonException e)
        {
            return ApiResults.BadRequest($"The body is not a rollback request: {e.Message}");
        }

        // Undoing a run that is still writing would race it; a rollback already under way is not started twice.
        if (await client.GetInstanceAsync(id, cancellationToken) is { IsCompleted: false } running)
        {
            return ApiResults.Conflict($"Migration '{id}' is {running.RuntimeStatus}: roll it back when its run has ended.");
        }

        await foreach (var rollback in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = RollbackPrefix(id) }))
        {
            if (!rollback.IsCompleted)
            {
                return ApiResults.Conflict($"A rollback of migration '{id}' is under way ({rollback.InstanceId}).");
            }
        }

        var instanceId = $"{RollbackPrefix(id)}{time.GetUtcNow():yyyyMMddHHmmssfff}";
        await client.ScheduleNewOrchestrationInstanceAsync(RollbackOrchestrator.Name, new RollbackInput(registration.Request, body.Force, body.PassRunId), new StartOrchestrationOptions(instanceId), cancellationToken);
        return ApiResults.Ok(new { id, rollbackInstanceId = instanceId, force = body.Force, passRunId = body.PassRunId, statusUrl = StatusUrl(request, id) }, StatusCodes.Status202Accepted);
    }

    [Function("GetReport")]
    public async Task<IActionResult> ReportAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "migrations/{id}/report")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (registration, refused) = await FindAsync(request, id, cancellationToken);
        if (registration is null)
        {
            return refused!;
        }

        var format = request.Query["format"].ToString() is { Length: > 0 } f ? f.ToLowerInvariant() : "json";
        var (extension, type) = format switch
        {
            "json" => ("json", "application/json; charset=utf-8"),
            "csv" => ("csv", "text/csv; charset=utf-8"),
            "html" => ("html", "text/html; charset=utf-8"),
            _ => (null, null),
        };
        if (extension is null)
        {
            return ApiResults.BadRequest($"Unknown report format '{format}': json, csv or html.");
        }

        var staging = stores.Staging(id);
        string content;
        try
        {
            await using var stream = await staging.OpenReadAsync(RunPaths.Report(id, extension), cancellationToken);
            using var reader = new StreamReader(stream);
            content = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return ApiResults.Problem(404, $"Migration '{id}' has no report yet: it is written when the run has reconciled.");
        }

        PageHeaders.Apply(request.HttpContext.Response, extension == "html");
        return new ContentResult { StatusCode = 200, ContentType = type, Content = content };
    }

    /// <summary>The migration's registration when the caller may see it (and, <paramref name="approving"/>, has the
    /// approver role); otherwise the answer to give.</summary>
    private async Task<(MigrationRegistration? Registration, IActionResult? Refused)> FindAsync(HttpRequest request, string id, CancellationToken cancellationToken, bool approving = false)
    {
        if (!TryCaller(request, out var caller, out var refused))
        {
            return (null, refused);
        }

        if (!MigrationIds.IsValid(id))
        {
            return (null, ApiResults.BadRequest($"'{id}' is not a migration id (letters, digits, '-' and '_', up to 60)."));
        }

        var registration = await migrations.RegistrationAsync(id, cancellationToken);
        var bound = caller?.ClaimValue(Settings.TenantClaim);
        if (registration is null || (bound is not null && bound != registration.Request.Tenant))
        {
            return (null, ApiResults.NotFound(id));
        }

        return approving && RequireApprover(caller) is { } notApprover ? (null, notApprover) : (registration, null);
    }

    private static bool TryCaller(HttpRequest request, out ClientPrincipal? caller, out IActionResult refused)
    {
        try
        {
            caller = ClientPrincipal.From(request);
            refused = null!;
            return true;
        }
        catch (FormatException e)
        {
            caller = null;
            refused = ApiResults.BadRequest(e.Message);
            return false;
        }
    }

    private ContentResult? RequireApprover(ClientPrincipal? caller) =>
        Settings.ApproverRole is not { Length: > 0 } role || (caller?.IsInRole(role) ?? false)
            ? null
            : ApiResults.Forbidden(caller is null
                ? $"Approving needs a signed-in caller with the role '{role}' (App Service authentication)."
                : $"{caller.Name ?? "This caller"} does not have the role '{role}' that approving needs.");

    private List<string> Validate(StartMigrationBody body, ClientPrincipal? caller)
    {
        var problems = new List<string>();
        var tenants = Settings.TenantSet();
        if (string.IsNullOrWhiteSpace(body.Tenant))
        {
            problems.Add("tenant is missing.");
        }
        else if (!tenants.Contains(body.Tenant))
        {
            problems.Add($"tenant '{body.Tenant}' is not one of this app's tenants.");
        }
        else if (caller?.ClaimValue(Settings.TenantClaim) is { } bound && bound != body.Tenant)
        {
            problems.Add($"this caller is bound to tenant '{bound}'.");
        }

        if (string.IsNullOrWhiteSpace(body.Pair) || !MappingSpecLoader.ShippedPairs.Contains(body.Pair))
        {
            problems.Add($"pair {(body.Pair is null ? "is missing" : $"'{body.Pair}' is unknown")}: one of {string.Join(", ", MappingSpecLoader.ShippedPairs)}.");
        }

        if (string.IsNullOrWhiteSpace(body.Connection) || !Settings.Connections.ContainsKey(body.Connection))
        {
            problems.Add($"connection {(body.Connection is null ? "is missing" : $"'{body.Connection}' is not configured")}: one of {string.Join(", ", Settings.Connections.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (body.Mode is null || !(body.Mode.Equals("sample", StringComparison.OrdinalIgnoreCase) || body.Mode.Equals("full", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"mode {(body.Mode is null ? "is missing" : $"'{body.Mode}' is unknown")}: sample or full.");
        }

        if (body.MigrationId is { } id && !MigrationIds.IsValid(id))
        {
            problems.Add($"migrationId '{id}' must be letters, digits, '-' and '_' (up to 60).");
        }

        if (body.ExportPrefix is { } prefix && !SafePrefix().IsMatch(prefix))
        {
            problems.Add($"exportPrefix '{prefix}' must be a relative folder of the migration's staging area.");
        }

        if (body.Options?.BatchSize is < 1 or > 5000)
        {
            problems.Add("options.batchSize must be between 1 and 5000.");
        }

        return problems;
    }

    private static object Describe(MigrationRegistration registration, OrchestrationMetadata? instance, string statusUrl) => new
    {
        id = registration.Request.MigrationId,
        registration.Request.Tenant,
        registration.Request.Pair,
        mode = registration.Request.Mode.ToString().ToLowerInvariant(),
        registration.Connection,
        registration.RequestedBy,
        registration.RequestedAt,
        runtimeStatus = instance?.RuntimeStatus.ToString(),
        status = instance?.ReadCustomStatusAs<MigrationStatus>(),
        outcome = instance is { RuntimeStatus: OrchestrationRuntimeStatus.Completed } ? instance.ReadOutputAs<MigrationOutcome>() : null,
        failure = instance?.FailureDetails?.ErrorMessage,
        statusUrl,
        reportUrl = $"{statusUrl}/report",
    };

    private static string RollbackPrefix(string id) => $"rollback-{id}-";

    private static string StatusUrl(HttpRequest request, string id) =>
        string.Create(CultureInfo.InvariantCulture, $"{request.Scheme}://{request.Host}/api/migrations/{Uri.EscapeDataString(id)}");

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-.]+)*$")]
    private static partial Regex SafePrefix();
}
