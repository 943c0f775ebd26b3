using Flit.Activities.Approval;
using Flit.Core.Ports;
using Flit.Core.Workflow;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flit.Activities.Tests.Approval;

public sealed class CheckApprovalActivityTests
{
    private static readonly MigrationRequest Request = new("m-7", "acme", "oncourse-odoo", "drop/acme/m-7", RunMode.Sample);

    [Fact]
    public async Task RunAsync_NoApproval_RefusesAndSaysHowToApprove()
    {
        var sut = new CheckApprovalActivity(new Approvals(), NullLogger<CheckApprovalActivity>.Instance);

        var check = await sut.RunAsync(new ActivityInput(Request, "abc123"), CancellationToken.None);

        Assert.False(check.Approved);
        Assert.Contains("flit approve --migration m-7 --spec abc123", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ApprovalOfAnotherSpec_RefusesNamingBothHashes()
    {
        var store = new Approvals();
        await store.RecordAsync(new ApprovalRecord("m-7", "old999", "dana@flitstack.io", DateTimeOffset.UnixEpoch, null), CancellationToken.None);

        var check = await new CheckApprovalActivity(store, NullLogger<CheckApprovalActivity>.Instance).RunAsync(new ActivityInput(Request, "abc123"), CancellationToken.None);

        Assert.False(check.Approved);
        Assert.Contains("old999", check.Reason, StringComparison.Ordinal);
        Assert.Contains("abc123", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MatchingApproval_ApprovesWithWhoAndWhen()
    {
        var store = new Approvals();
        var at = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);
        await store.RecordAsync(new ApprovalRecord("m-7", "ABC123", "dana@flitstack.io", at, "ok"), CancellationToken.None);

        var check = await new CheckApprovalActivity(store, NullLogger<CheckApprovalActivity>.Instance).RunAsync(new ActivityInput(Request, "abc123"), CancellationToken.None);

        Assert.True(check.Approved);
        Assert.Equal("dana@flitstack.io", check.ApprovedBy);
        Assert.Equal(at, check.ApprovedAt);
    }

    /// <summary>The approval port in memory: the check reads what was recorded, nothing more.</summary>
    private sealed class Approvals : IApprovalStore
    {
        private ApprovalRecord? _latest;

        public Task<ApprovalRecord?> GetAsync(string migrationId, CancellationToken cancellationToken) =>
            Task.FromResult(_latest?.MigrationId == migrationId ? _latest : null);

        public Task RecordAsync(ApprovalRecord approval, CancellationToken cancellationToken)
        {
            _latest = approval;
            return Task.CompletedTask;
        }
    }
}
