namespace Flit.Core.Workflow;

/// <summary>Activity names shared by the workflow and both hosts.</summary>
public static class ActivityNames
{
    public const string Stage = "Stage";
    public const string Audit = "Audit";
    public const string Propose = "Propose";
    public const string CheckApproval = "CheckApproval";
    public const string Prepare = "Prepare";
    public const string Partition = "Partition";
    public const string LoadBatch = "LoadBatch";
    public const string PlanRetry = "PlanRetry";
    public const string Reconcile = "Reconcile";
    public const string Report = "Report";

    /// <summary>After a delta pass: the migration's summary over its runs (report/migration.json); returns its path.</summary>
    public const string SummarizeMigration = "SummarizeMigration";

    /// <summary>The delta window's: a newer export in the watched drop, if one arrived.</summary>
    public const string FindNewExport = "FindNewExport";

    /// <summary>The delta window's last step: the whole migration reconciled against the destination.</summary>
    public const string CloseDeltaWindow = "CloseDeltaWindow";
}

/// <summary>Name of the external event raised when a person approves the mapping.</summary>
public static class WorkflowEvents
{
    public const string Approval = "approval";
}

/// <summary>Staging: exports copied with a manifest.</summary>
public sealed record StageResult(string ManifestPath, int Files, long Bytes);

/// <summary>Audit summary: where the full report is and whether anything blocks the run.</summary>
public sealed record AuditResult(string ReportPath, long Records, int Findings, int BlockingFindings);

/// <summary>The spec this run would execute, by hash, and where the proposal and review are.</summary>
public sealed record ProposalResult(string SpecPath, string SpecHash, string ReviewPath, int Proposals);

/// <summary>Whether an approval matching the spec hash exists.</summary>
public sealed record ApprovalCheck(bool Approved, string SpecHash, string? ApprovedBy, DateTimeOffset? ApprovedAt, string? Reason);

/// <summary>Raised by the approve endpoint or <c>flit approve</c>.</summary>
public sealed record ApprovalEvent(string SpecHash, string ApprovedBy, DateTimeOffset ApprovedAt);

/// <summary>What prepare did: custom fields, named records, owners, snapshots.</summary>
/// <param name="LookupsPath">The staged lookups the load reads.</param>
/// <param name="CustomFieldsCreated">Custom fields created now.</param>
/// <param name="UnmatchedOwners">Owners that match no destination user.</param>
/// <param name="Snapshots">Pre-images stored (they are taken per batch, before each write).</param>
/// <param name="Blocked">Why the run must stop before loading anything (owners without a destination user and no
/// fallback, a fallback that is no user): what is wrong and what to do.</param>
/// <param name="UnmatchedOwnerEmails">The owners that match no destination user (up to a few hundred listed).</param>
public sealed record PrepareResult(string LookupsPath, int CustomFieldsCreated, int UnmatchedOwners, int Snapshots, string? Blocked = null, IReadOnlyList<string>? UnmatchedOwnerEmails = null);

/// <summary>One batch to load: small (a staged batch file reference and counts).</summary>
/// <param name="BatchId">Deterministic id (phase, object, bucket, part).</param>
/// <param name="SourceObject">The mapping key the records load as.</param>
/// <param name="TargetModel">Destination model.</param>
/// <param name="Phase">Load phase.</param>
/// <param name="BatchPath">The staged batch file.</param>
/// <param name="Records">Records in it.</param>
/// <param name="IsRetry">A retry-pass batch.</param>
/// <param name="Skip">Rows a rule of the spec leaves out (a filter, a merge, a repeated id, an object not migrated):
/// each is reported as skipped with this reason, nothing is sent.</param>
/// <param name="LayoutObject">The export object the rows were read from, for the accounting of every row read.</param>
/// <param name="Derived">Records computed from another object's rows (companies from contacts' organisation): they
/// are extra records, not rows of <paramref name="LayoutObject"/>.</param>
/// <param name="Unchanged">A delta pass's rows that are as the migration last wrote them (their source digest): each is
/// reported unchanged, nothing is mapped or sent. The batch file holds their ids and places only.</param>
/// <param name="FirstWrite">The ID map had no record of this object when the run was partitioned: unless an earlier
/// attempt of this very batch wrote (its pre-write snapshot says so), none of its records can have an entry, and the
/// load does not look them up — on Table Storage, a batch of 2,000 spread ids is some 140 queries.</param>
public sealed record BatchWork(
    string BatchId,
    string SourceObject,
    string TargetModel,
    int Phase,
    string BatchPath,
    int Records,
    bool IsRetry,
    Records.RecordIssue? Skip = null,
    string? LayoutObject = null,
    bool Derived = false,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] bool Unchanged = false,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] bool FirstWrite = false);

/// <summary>The batches of one phase, loaded in parallel.</summary>
public sealed record PhasePlan(int Phase, IReadOnlyList<BatchWork> Batches);

/// <summary>Batches per phase, in dependency order.</summary>
public sealed record LoadPlan(IReadOnlyList<PhasePlan> Phases, long Records, long SkippedByRule);

/// <summary>Counts of one loaded batch; failures are in the batch's outcome file.</summary>
/// <remarks><paramref name="Conflicts"/>: records someone edited in the destination since an earlier run wrote them, left as they are.</remarks>
public sealed record BatchResult(string BatchId, int Created, int Updated, int Failed, int MissingParent, int Skipped, string OutcomePath, int Unchanged = 0, int Conflicts = 0);

/// <summary>Reconciliation counts and where the diff and report are.</summary>
/// <remarks><paramref name="RemovedAtSource"/>: a delta pass's count of records whose rows its export no longer has
/// (reported, never deleted).</remarks>
public sealed record ReconcileResult(string ReportPath, long Source, long Created, long Updated, long Failed, long Skipped, int DiffMismatches, long Unchanged = 0, long Conflicts = 0, long RemovedAtSource = 0);

/// <summary>Where the final reports are: everything as JSON, the full list of issues as CSV, and the readable page (HTML).</summary>
public sealed record ReportResult(string JsonPath, string CsvPath, string ReadablePath);

/// <summary>The workflow's outcome; a full run's says until when its delta window is open.</summary>
public sealed record MigrationOutcome(
    string MigrationId,
    string Status,
    string? Reason,
    ReconcileResult? Reconciliation,
    ReportResult? Report,
    DateTimeOffset? DeltaWindowClosesAt = null);

/// <summary>Custom status: what ops and <c>flit status</c> see while the run goes on.</summary>
public sealed record MigrationStatus(string Stage, int? Phase, int BatchesDone, int BatchesTotal, string? Detail);

/// <summary>The input every activity receives: the request, the approved spec's hash, the batch when loading, and the
/// run (the orchestration instance: one per attempt of a migration, the same for its resumes).</summary>
public sealed record ActivityInput(MigrationRequest Request, string? SpecHash = null, BatchWork? Batch = null, int? Phase = null, string? RunId = null)
{
    /// <summary>The run's id; a request run outside a workflow counts as the migration's only run.</summary>
    public string Run => RunId ?? Request.MigrationId;
}
