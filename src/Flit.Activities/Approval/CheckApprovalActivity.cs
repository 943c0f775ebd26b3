using Flit.Core.Ports;
using Flit.Core.Workflow;
using Microsoft.Extensions.Logging;

namespace Flit.Activities.Approval;

/// <summary>
/// The approval gate's check: an approval exists for this migration and pins exactly the spec the run is about to
/// execute. Anything else (no approval, an approval of an older proposal) refuses, naming both hashes.
/// </summary>
public sealed class CheckApprovalActivity(IApprovalStore approvals, ILogger<CheckApprovalActivity> logger)
{
    public async Task<ApprovalCheck> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migrationId = input.Request.MigrationId;
        var specHash = input.SpecHash ?? throw new ArgumentException("CheckApproval needs the proposed spec's hash.", nameof(input));
        if (await approvals.GetAsync(migrationId, cancellationToken) is not { } approval)
        {
            logger.ApprovalChecked(specHash, false);
            return new ApprovalCheck(false, specHash, null, null, $"Migration {migrationId} has no approval. Review the proposal and run `flit approve --migration {migrationId} --spec {specHash} --by <email>`.");
        }

        var approved = string.Equals(approval.SpecHash, specHash, StringComparison.OrdinalIgnoreCase);
        logger.ApprovalChecked(specHash, approved);
        return approved
            ? new ApprovalCheck(true, specHash, approval.ApprovedBy, approval.ApprovedAt, null)
            : new ApprovalCheck(false, specHash, approval.ApprovedBy, approval.ApprovedAt,
                $"The approval by {approval.ApprovedBy} pins spec {approval.SpecHash}, but this run would execute spec {specHash}. Review the new proposal and approve it.");
    }

    /// <summary>Records an approval (the approve endpoint and <c>flit approve</c> call this).</summary>
    public static async Task RecordAsync(IApprovalStore approvals, ApprovalRecord approval, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approvals);
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(logger);
        await approvals.RecordAsync(approval, cancellationToken);
        using (ActivityTelemetry.BeginRunScope(logger, approval.MigrationId, approval.MigrationId))
        {
            logger.ApprovalRecorded(approval.SpecHash, ActivityTelemetry.Pseudonym(approval.ApprovedBy));
        }
    }
}
