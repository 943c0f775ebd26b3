namespace Flit.Functions.Http;

/// <summary>The body of <c>POST /api/migrations</c>.</summary>
/// <param name="Tenant">The client tenant (one of the app's tenants; the caller's own when the caller is bound to one).</param>
/// <param name="Pair">The mapping pair, e.g. <c>oncourse-odoo</c>.</param>
/// <param name="Connection">The destination connection's reference (an app setting names its target and secrets).</param>
/// <param name="Mode"><c>sample</c> or <c>full</c>.</param>
/// <param name="MigrationId">The migration's id (letters, digits, <c>-</c> and <c>_</c>); one is made when absent.</param>
/// <param name="ExportPrefix">Where in the migration's staging area the upload is (the drop puts it in <c>drop</c>).</param>
/// <param name="Options">Batch size, sample size, approval timeout, delta window, fallback owner, encoding.</param>
public sealed record StartMigrationBody(
    string? Tenant,
    string? Pair,
    string? Connection,
    string? Mode,
    string? MigrationId = null,
    string? ExportPrefix = null,
    StartOptions? Options = null);

public sealed record StartOptions(
    int? BatchSize = null,
    int? SampleSize = null,
    double? ApprovalTimeoutHours = null,
    double? DeltaWindowHours = null,
    string? FallbackOwnerEmail = null,
    string? Encoding = null);

/// <summary>The body of <c>POST /api/migrations/{id}/approve</c>: the hash of the spec the person reviewed.</summary>
public sealed record ApproveBody(string? SpecHash, string? Comment = null);

/// <summary>The body of <c>POST /api/migrations/{id}/rollback</c>: force over destination edits, or one delta pass only.</summary>
public sealed record RollbackBody(bool Force = false, string? PassRunId = null);
