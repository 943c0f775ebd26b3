using System.Diagnostics;
using System.Globalization;
using Flit.Destinations.Odoo.Rpc;
using Flit.Sandbox.Odoo;

/// <summary>
/// The Odoo sandbox costing what a real Odoo costs: 10 ms of network latency per request, and on its server 5 ms per
/// object call (request, authentication, transaction, commit) and 2 ms per record written (published load() figures
/// are 100–130 records/s per worker), on one worker, so requests wait for each other. What it counts gives a run's
/// server-bound floor: its records at their cost plus its calls at latency and overhead, one after another. The
/// engine's time is how far above that floor it stays (it can dip below: parallel batches overlap their latency).
/// </summary>
internal static class CostedOdoo
{
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan PerCall = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan PerRecord = TimeSpan.FromMilliseconds(2);

    /// <summary>Records the naive loader sends, one create each (more would take minutes per pair).</summary>
    private const int NaiveRecords = 500;

    public static string Costs => string.Create(CultureInfo.InvariantCulture, $"{Latency.TotalMilliseconds} ms latency, {PerCall.TotalMilliseconds} ms per call, {PerRecord.TotalMilliseconds} ms per record written, one worker");

    public static Task<OdooSandbox> StartAsync(IEnumerable<string> users) =>
        OdooSandbox.StartAsync(new OdooSandboxOptions { Users = SandboxUser.AdminAnd(users), Latency = Latency, CallOverhead = PerCall, RecordCost = PerRecord, Workers = 1 }, CancellationToken.None);

    public static string Target(OdooSandbox sandbox) => $"odoo://admin@127.0.0.1:{sandbox.BaseAddress.Port}/sandbox";

    /// <summary>Object calls the sandbox answered since it started.</summary>
    public static int Calls(OdooSandbox sandbox) => sandbox.Calls.Values.Sum();

    /// <summary>Seconds Odoo alone needs for what it was asked: every record's cost, every call's latency and overhead.</summary>
    public static double FloorSeconds(int calls, long records) => ((PerRecord * records) + ((Latency + PerCall) * calls)).TotalSeconds;

    /// <summary>
    /// The figures of an engine run against the sandbox: calls per 1,000 source rows, records/s, the floor and the
    /// run as a multiple of it; then the naive loader (one <c>create</c> per record) on the same kind of records in
    /// the same run, and the ratio of the two.
    /// </summary>
    public static async Task<string> DescribeAsync(OdooSandbox sandbox, long sourceRows, double runSeconds)
    {
        var calls = Calls(sandbox);
        var records = sandbox.RecordsWritten;
        var floor = FloorSeconds(calls, records);
        var (naiveRecords, naiveSeconds) = await NaiveAsync(sandbox);
        var engineRate = records / runSeconds;
        var naiveRate = naiveRecords / naiveSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"engine: {calls:N0} Odoo calls ({calls * 1000.0 / sourceRows:0.00} per 1,000 source rows), {records:N0} records written, {runSeconds:0.0} s, {engineRate:N0} records/s; server-bound floor {floor:0.0} s, run = {runSeconds / floor:0.00}× the floor{Environment.NewLine}" +
            $"  naive: {naiveRecords:N0} partners, one create each: {naiveRecords:N0} calls, {naiveSeconds:0.0} s, {naiveRate:N0} records/s (floor {FloorSeconds(naiveRecords, naiveRecords):0.0} s); the engine is {engineRate / naiveRate:0.0}× faster");
    }

    /// <summary>The calls by model and method, most first (what to look at when the figure is high).</summary>
    public static string Breakdown(OdooSandbox sandbox, int top = 12) =>
        string.Join(", ", sandbox.Calls.OrderByDescending(c => c.Value).Take(top).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key.Model}.{c.Key.Method} {c.Value}")));

    /// <summary>
    /// The naive loader: partners the engine wrote, read back from its sandbox, created one <c>create</c> call each
    /// into a fresh sandbox with the same costs, as a script written against the external API would.
    /// </summary>
    private static async Task<(int Records, double Seconds)> NaiveAsync(OdooSandbox engineSandbox)
    {
        string[] fields = ["name", "email", "phone", "street", "city", "zip", "is_company", "type", "comment"];
        List<IReadOnlyDictionary<string, object?>> partners;
        using (var reader = await ConnectAsync(engineSandbox))
        {
            partners = [.. ((List<object?>)(await reader.ExecuteKwAsync("res.partner", "search_read", [new List<object?> { new List<object?> { "id", ">", 3L } }, fields.Select(f => (object?)f).ToList()],
                new Dictionary<string, object?> { ["limit"] = NaiveRecords }, CancellationToken.None))!).OfType<IReadOnlyDictionary<string, object?>>()];
        }

        await using var sandbox = await StartAsync([]);
        using var client = await ConnectAsync(sandbox);
        var clock = Stopwatch.StartNew();
        foreach (var partner in partners)
        {
            var values = partner.Where(v => v.Key != "id" && v.Value is not (null or false)).ToDictionary(v => v.Key, v => v.Value);
            await client.ExecuteKwAsync("res.partner", "create", [values], null, CancellationToken.None);
        }

        return (partners.Count, clock.Elapsed.TotalSeconds);
    }

    private static async Task<OdooClient> ConnectAsync(OdooSandbox sandbox)
    {
        var client = new OdooClient(new OdooClientOptions { Url = sandbox.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin", Protocol = OdooProtocol.XmlRpc });
        await client.ConnectAsync(CancellationToken.None);
        return client;
    }
}
