using Flit.Core.Destinations;
using Flit.Core.Records;

namespace Flit.Destinations.Rehearsal.Tests;

/// <summary>The rehearsal destination obeys the rules a real CRM enforces, and keeps its state across restarts.</summary>
public sealed class RehearsalDestinationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("flit-rehearsal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static DestinationRecord Record(string model, string id, params (string Field, object? Value)[] values) =>
        new($"flit_acme.test_{id}", "obj", id, model, values.ToDictionary(v => v.Field, v => v.Value), [], "h" + id, new SourceLocation("f.csv", 2));

    [Fact]
    public async Task Upsert_AgainAfterARestart_FindsTheSameRecords_NeverDuplicates()
    {
        DestinationRecord[] batch = [Record("res.partner", "1", ("name", "Ada")), Record("res.partner", "2", ("name", "Bo"))];
        IReadOnlyList<UpsertOutcome> first;
        await using (var destination = await RehearsalDestination.OpenAsync(_folder, [], CancellationToken.None))
        {
            first = await destination.UpsertAsync("res.partner", batch, CancellationToken.None);
        }

        await using var reopened = await RehearsalDestination.OpenAsync(_folder, [], CancellationToken.None);
        var second = await reopened.UpsertAsync("res.partner", batch, CancellationToken.None);

        Assert.All(first, o => Assert.Equal(UpsertStatus.Created, o.Status));
        Assert.All(second, o => Assert.Equal(UpsertStatus.Updated, o.Status));
        Assert.Equal(first.Select(o => o.DestinationId), second.Select(o => o.DestinationId));
        Assert.Equal(2, (await reopened.ReadBackAsync("res.partner", batch.Select(b => b.ExternalId).ToList(), [], CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Upsert_UnknownFieldMissingRequiredOrBrokenLink_RefusedWithAMessage_OthersLoad()
    {
        await using var destination = await RehearsalDestination.OpenAsync(_folder, [], CancellationToken.None);

        var outcomes = await destination.UpsertAsync("crm.lead", [
            Record("crm.lead", "ok", ("name", "Fine"), ("type", "lead")),
            Record("crm.lead", "unknown", ("name", "X"), ("type", "lead"), ("x_nope", "1")),
            Record("crm.lead", "unnamed", ("type", "lead"), ("email_from", "a@b.test")),
            Record("crm.lead", "orphan", ("name", "Y"), ("type", "lead"), ("partner_id", "999")),
        ], CancellationToken.None);

        var byId = outcomes.ToDictionary(o => o.ExternalId[(o.ExternalId.LastIndexOf('_') + 1)..]);
        Assert.Equal(UpsertStatus.Created, byId["ok"].Status);
        Assert.Contains("Invalid field 'x_nope'", byId["unknown"].Error, StringComparison.Ordinal);
        Assert.Contains("missing required value for crm.lead.name", byId["unnamed"].Error, StringComparison.Ordinal);
        Assert.True(byId["orphan"].MissingParent, byId["orphan"].Error);
        Assert.Single(await destination.ReadBackAsync("crm.lead", outcomes.Select(o => o.ExternalId).ToList(), [], CancellationToken.None));
    }

    [Fact]
    public async Task Upsert_LinksToARecordItHolds_OneCreatedEarlierInTheCallAndAUser_Load_AnIdThatIsNoNumberDoesNot()
    {
        await using var destination = await RehearsalDestination.OpenAsync(_folder, ["ann@acme.test"], CancellationToken.None);
        var company = (await destination.UpsertAsync("res.partner", [Record("res.partner", "co", ("name", "Acme"))], CancellationToken.None))[0].DestinationId!;

        var outcomes = await destination.UpsertAsync("crm.lead", [
            Record("crm.lead", "held", ("name", "A"), ("type", "lead"), ("partner_id", company), ("user_id", "2")),
            Record("crm.lead", "word", ("name", "B"), ("type", "lead"), ("partner_id", company + "x")),
            Record("crm.lead", "nouser", ("name", "C"), ("type", "lead"), ("user_id", "3")),
        ], CancellationToken.None);

        var byId = outcomes.ToDictionary(o => o.ExternalId[(o.ExternalId.LastIndexOf('_') + 1)..]);
        Assert.Equal(UpsertStatus.Created, byId["held"].Status);
        Assert.True(byId["word"].MissingParent, byId["word"].Error);
        Assert.True(byId["nouser"].MissingParent, byId["nouser"].Error);
    }

    [Fact]
    public async Task Rollback_DeletesWhatTheRunCreated_AndSnapshotsNothingItDidNotHoldBefore()
    {
        await using var destination = await RehearsalDestination.OpenAsync(_folder, [], CancellationToken.None);
        DestinationRecord[] batch = [Record("res.partner", "1", ("name", "Ada"))];

        Assert.Empty(await destination.SnapshotAsync("res.partner", batch, CancellationToken.None));
        var written = await destination.UpsertAsync("res.partner", batch, CancellationToken.None);
        var outcome = await destination.RollbackAsync(new RollbackRequest([new RollbackItem("res.partner", written[0].DestinationId!, written[0].ExternalId, true, TimeProvider.System.GetUtcNow(), null)], Force: false, "t1"), CancellationToken.None);

        Assert.Equal(1, outcome.Deleted);
        Assert.Empty(await destination.ReadBackAsync("res.partner", [written[0].ExternalId], [], CancellationToken.None));
    }
}
