using Flit.Core.Ports;
using Flit.Core.Workflow;

namespace Flit.Activities.Approval;

/// <summary>
/// The approval gate's check: an approval exists for this migration and pins exactly the spec the run is about to
/// execute. Anything else (no approval, an approval of an older proposal) refuses, naming both hashes.
/// </summary>
public sealed class CheckApprovalActivity(IApprovalStore approvals)
{
    public async Task<ApprovalCheck> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var migrationId = input.Request.MigrationId;
        var specHash = input.SpecHash ?? throw new ArgumentException("CheckApproval needs the proposed spec's hash.", nameof(input));
        if (await approvals.GetAsync(migrationId, cancellationToken) is not { } approval)
        {
            return new ApprovalCheck(false, specHash, null, null, $"Migration {migrationId} has no approval. Review the proposal and run `flit approve --migration {migrationId} --spec {specHash} --by <email>`.");
        }

        return string.Equals(approval.SpecHash, specHash, StringComparison.OrdinalIgnoreCase)
            ? new ApprovalCheck(true, specHash, approval.ApprovedBy, approval.ApprovedAt, null)
            : new ApprovalCheck(false, specHash, approval.ApprovedBy, approval.ApprovedAt,
                $"The approval by {approval.ApprovedBy} pins spec {approval.SpecHash}, but this run would execute spec {specHash}. Review the new proposal and approve it.");
    }
}
