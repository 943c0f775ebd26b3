using System.Globalization;
using Flit.Sandbox.Odoo;

/// <summary>
/// The Odoo sandbox costing what a real Odoo costs on its server: 5 ms per object call (request, authentication,
/// transaction, commit) and 2 ms per record written (published load() figures are 100–130 records/s per worker), on
/// one worker, so requests wait for each other. What it counts gives the server-bound floor of a run: its calls and
/// records at those costs, one after another. A run can be no faster; the engine's time is how far above it stays.
/// </summary>
internal static class CostedOdoo
{
    public static readonly TimeSpan PerCall = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan PerRecord = TimeSpan.FromMilliseconds(2);

    public static Task<OdooSandbox> StartAsync(IEnumerable<string> users) =>
        OdooSandbox.StartAsync(new OdooSandboxOptions { Users = SandboxUser.AdminAnd(users), CallOverhead = PerCall, RecordCost = PerRecord, Workers = 1 }, CancellationToken.None);

    public static string Target(OdooSandbox sandbox) => $"odoo://admin@127.0.0.1:{sandbox.BaseAddress.Port}/sandbox";

    /// <summary>Object calls the sandbox answered since it started.</summary>
    public static int Calls(OdooSandbox sandbox) => sandbox.Calls.Values.Sum();

    /// <summary>Seconds the server alone needs for what it was asked: every call's overhead and every record's cost.</summary>
    public static double FloorSeconds(OdooSandbox sandbox) => ((PerCall * Calls(sandbox)) + (PerRecord * sandbox.RecordsWritten)).TotalSeconds;

    /// <summary>The figures of a run against the sandbox: calls per 1,000 source rows, the floor, and the same records
    /// sent the naive way (one create call per record written, each paying the call overhead).</summary>
    public static string Describe(OdooSandbox sandbox, long sourceRows, double runSeconds)
    {
        var calls = Calls(sandbox);
        var floor = FloorSeconds(sandbox);
        var naive = ((PerCall + PerRecord) * sandbox.RecordsWritten).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"{calls:N0} Odoo calls ({calls * 1000.0 / sourceRows:0.00} per 1,000 source rows), {sandbox.RecordsWritten:N0} records written; server-bound floor {floor:0.0} s, run {runSeconds:0.0} s = {runSeconds / floor:0.00}× the floor; one create per record: {sandbox.RecordsWritten:N0} calls, ≥ {naive:0.0} s");
    }

    /// <summary>The calls by model and method, most first (what to look at when the figure is high).</summary>
    public static string Breakdown(OdooSandbox sandbox, int top = 60) =>
        string.Join(", ", sandbox.Calls.OrderByDescending(c => c.Value).Take(top).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key.Model}.{c.Key.Method} {c.Value}")));
}
