using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Sandbox.Odoo;
using Flit.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Flit.Destinations.Odoo.Tests;

/// <summary>
/// Values Odoo stamps on write (a won or lost lead's date_closed gets the time of the write) come from the source or
/// stay as first written: writing the same batch again later — a resume, a re-run — changes nothing it wrote.
/// </summary>
public sealed class OdooStampedValuesTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private OdooSandbox _sandbox = null!;
    private OdooDestination _destination = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions { Time = _time }, CancellationToken.None);
        _destination = new OdooDestination(await SandboxConnection.ConnectAsync(_sandbox));
    }

    public async Task DisposeAsync()
    {
        await _destination.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private async Task<string> WonStageAsync() =>
        (await _destination.PrepareAsync(new PreparePlan([], [new NamedLookup("crm.stage", "Won")], [], null, "flit_acme", "t1"), CancellationToken.None))
            .NamedRecordIds[PrepareOutcome.Key(new NamedLookup("crm.stage", "Won"))];

    private static DestinationRecord Lead(string id, params (string Field, object? Value)[] values) =>
        new($"flit_acme.test_{id}", "deal", id, "crm.lead", new Dictionary<string, object?>(values.ToDictionary(v => v.Field, v => v.Value)) { ["name"] = id, ["type"] = "opportunity" }, [], "h", new SourceLocation("deals.csv", 2));

    private async Task<object?> DateClosedAsync(string id) =>
        Assert.Single(await _destination.ReadBackAsync("crm.lead", [$"flit_acme.test_{id}"], ["date_closed"], CancellationToken.None)).Values["date_closed"];

    [Fact]
    public async Task Upsert_WonAndLostLeadsWrittenAgainLater_KeepTheDateClosedOfTheirFirstWrite()
    {
        var won = await WonStageAsync();
        var open = (await _destination.PrepareAsync(new PreparePlan([], [new NamedLookup("crm.stage", "New")], [], null, "flit_acme", "t1"), CancellationToken.None))
            .NamedRecordIds[PrepareOutcome.Key(new NamedLookup("crm.stage", "New"))];
        // Leads first written open, then closed by a later run (Odoo stamps the close), then written again two days on.
        await _destination.UpsertAsync("crm.lead", [Lead("won", ("stage_id", open)), Lead("lost", ("stage_id", open))], CancellationToken.None);
        DestinationRecord[] closed = [Lead("won", ("stage_id", won)), Lead("lost", ("stage_id", open), ("active", false))];
        await _destination.UpsertAsync("crm.lead", closed, CancellationToken.None);
        var first = (await DateClosedAsync("won"), await DateClosedAsync("lost"));

        _time.Advance(TimeSpan.FromDays(2));
        var again = await _destination.UpsertAsync("crm.lead", closed, CancellationToken.None);

        Assert.All(again, o => Assert.Equal(UpsertStatus.Updated, o.Status));
        Assert.Equal(("2026-11-02 09:00:00", "2026-11-02 09:00:00"), first);
        Assert.Equal(first, (await DateClosedAsync("won"), await DateClosedAsync("lost")));
    }

    [Fact]
    public async Task Upsert_WonLeadWithTheSourcesCloseDate_HoldsThatDate_OnTheFirstWriteAndEveryLaterOne()
    {
        var won = await WonStageAsync();
        var closed = new DateTime(2025, 3, 14, 16, 30, 0, DateTimeKind.Utc);
        DestinationRecord[] batch = [Lead("w", ("stage_id", won), ("date_closed", closed))];

        await _destination.UpsertAsync("crm.lead", batch, CancellationToken.None);
        var first = await DateClosedAsync("w");
        _time.Advance(TimeSpan.FromDays(2));
        await _destination.UpsertAsync("crm.lead", batch, CancellationToken.None);

        Assert.Equal("2025-03-14 16:30:00", first);
        Assert.Equal(first, await DateClosedAsync("w"));
    }
}
