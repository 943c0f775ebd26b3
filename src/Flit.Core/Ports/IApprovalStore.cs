namespace Flit.Core.Ports;

/// <summary>A person's approval of one exact mapping spec: who, when, and the spec's hash.</summary>
public sealed record ApprovalRecord(string MigrationId, string SpecHash, string ApprovedBy, DateTimeOffset ApprovedAt, string? Comment);

/// <summary>Where approvals are kept: the approval gate reads the migration's latest, <c>flit approve</c> and the
/// approve endpoint record one.</summary>
public interface IApprovalStore
{
    /// <summary>The migration's latest approval, or null when nobody approved it yet.</summary>
    Task<ApprovalRecord?> GetAsync(string migrationId, CancellationToken cancellationToken);

    /// <summary>Records an approval; it replaces the migration's earlier one.</summary>
    Task RecordAsync(ApprovalRecord approval, CancellationToken cancellationToken);
}
