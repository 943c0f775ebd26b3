namespace Flit.Activities.Approval;

/// <summary>A person's approval of one exact mapping spec: who, when, and the spec's hash.</summary>
public sealed record ApprovalRecord(string MigrationId, string SpecHash, string ApprovedBy, DateTimeOffset ApprovedAt, string? Comment);
