using Microsoft.Extensions.Time.Testing;

namespace Flit.Sandbox.Odoo.Tests;

/// <summary>A request holds an Odoo worker for its server time: the call's overhead plus its records' ORM time.</summary>
public sealed class OdooWorkersTests
{
    [Fact]
    public async Task RunAsync_TwoRequestsOnOneWorker_TheSecondStartsWhenTheFirstsServerTimeIsOver()
    {
        var time = new FakeTimeProvider();
        using var workers = new OdooWorkers(1, time) { PerCall = TimeSpan.FromSeconds(1), PerRecord = TimeSpan.FromSeconds(2) };
        var started = new List<(string Request, TimeSpan At)>();
        var origin = time.GetUtcNow();

        var first = workers.RunAsync(3, () => { started.Add(("first", time.GetUtcNow() - origin)); return 1; }, CancellationToken.None);
        var second = workers.RunAsync(1, () => { started.Add(("second", time.GetUtcNow() - origin)); return 2; }, CancellationToken.None);
        while (!second.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.WhenAny(second, Task.Delay(10));
        }

        Assert.Equal((1, 2), (await first, await second));
        Assert.Equal([("first", TimeSpan.Zero), ("second", TimeSpan.FromSeconds(7))], started);
        Assert.Equal(4, workers.RecordsWritten);
    }

    [Fact]
    public async Task RunAsync_AFaultingRequest_StillHoldsTheWorkerForItsTime()
    {
        var time = new FakeTimeProvider();
        using var workers = new OdooWorkers(1, time) { PerCall = TimeSpan.FromSeconds(1) };

        var failing = workers.RunAsync<int>(0, () => throw new OdooFaultException(2, "refused", "odoo.exceptions.UserError"), CancellationToken.None);
        var next = workers.RunAsync(0, () => 1, CancellationToken.None);
        await Task.Delay(20);

        Assert.False(failing.IsCompleted || next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<OdooFaultException>(() => failing);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await next);
    }

    [Theory]
    [InlineData("load", 3)]
    [InlineData("create", 2)]
    [InlineData("write", 4)]
    [InlineData("search_read", 0)]
    public void RecordsOf_CountsTheRecordsACallWrites(string method, int expected)
    {
        List<object?> rows = [new List<object?> { "a" }, new List<object?> { "b" }, new List<object?> { "c" }];
        List<object?> args = method switch
        {
            "load" => [new List<object?> { "id" }, rows],
            "create" => [new List<object?> { new Dictionary<string, object?>(), new Dictionary<string, object?>() }],
            "write" => [new List<object?> { 1L, 2L, 3L, 4L }, new Dictionary<string, object?>()],
            _ => [new List<object?>()],
        };

        Assert.Equal(expected, OdooWorkers.RecordsOf(method, args, new Dictionary<string, object?>()));
    }
}
