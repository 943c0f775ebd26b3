using System.Diagnostics;
using System.Globalization;
using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Destinations.Odoo;
using Flit.Destinations.Odoo.Rpc;
using Flit.Sandbox.Odoo;

/// <summary>
/// Loads contacts with their companies into the Odoo sandbox with 10 ms added per call: the engine's way (batches
/// of 1,000 under xmlids, four workers, companies before contacts) against the naive way (one create call per
/// record), in the same run. Prints calls per 1,000 records (sandbox counter), records/s and the ratio.
/// </summary>
internal static class OdooLoadBenchmark
{
    private const int BatchSize = 1000;
    private const int Workers = 4;

    public static async Task<int> RunAsync(int contacts)
    {
        var companies = Math.Max(1, contacts / 5);
        Console.WriteLine($"Odoo load, sandbox with 10 ms per call: {contacts:N0} contacts + {companies:N0} companies");

        var (engineSeconds, engineCalls) = await MeasureAsync(async client =>
        {
            var destination = new OdooDestination(client);
            var companyIds = new Dictionary<string, string>(StringComparer.Ordinal);
            await ParallelBatchesAsync(Enumerable.Range(0, companies).Select(i => Record("company", i, ("name", $"Company {i}"), ("is_company", true))).ToList(), async batch =>
            {
                foreach (var outcome in await SnapshotAndUpsertAsync(destination, batch))
                {
                    lock (companyIds)
                    {
                        companyIds[outcome.ExternalId] = outcome.DestinationId!;
                    }
                }
            });

            // Contacts sharing a company go to the same batch (one worker), as the partitioner arranges.
            var people = Enumerable.Range(0, contacts)
                .OrderBy(i => i % companies)
                .Select(i => Record("contact", i, ("name", $"Person {i}"), ("type", "other"), ("email", $"p{i}@example.com"), ("parent_id", long.Parse(companyIds[ExternalId("company", i % companies)], CultureInfo.InvariantCulture))))
                .ToList();
            await ParallelBatchesAsync(people, batch => SnapshotAndUpsertAsync(destination, batch));
        });

        var (naiveSeconds, naiveCalls) = await MeasureAsync(async client =>
        {
            var companyIds = new long[companies];
            for (var i = 0; i < companies; i++)
            {
                companyIds[i] = (long)(await client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?> { ["name"] = $"Company {i}", ["is_company"] = true }], null, CancellationToken.None))!;
            }

            for (var i = 0; i < contacts; i++)
            {
                await client.ExecuteKwAsync("res.partner", "create", [new Dictionary<string, object?> { ["name"] = $"Person {i}", ["type"] = "other", ["email"] = $"p{i}@example.com", ["parent_id"] = companyIds[i % companies] }], null, CancellationToken.None);
            }
        });

        var records = contacts + companies;
        Console.WriteLine("way    | calls | calls per 1,000 records | seconds | records/s");
        Console.WriteLine($"engine | {engineCalls,5:N0} | {engineCalls * 1000.0 / records,23:0.0} | {engineSeconds,7:0.0} | {records / engineSeconds,9:N0}");
        Console.WriteLine($"naive  | {naiveCalls,5:N0} | {naiveCalls * 1000.0 / records,23:0.0} | {naiveSeconds,7:0.0} | {records / naiveSeconds,9:N0}");
        Console.WriteLine($"engine is {naiveSeconds / engineSeconds:0.0}× faster than one create call per record");
        return 0;
    }

    private static async Task<(double Seconds, int Calls)> MeasureAsync(Func<OdooClient, Task> load)
    {
        await using var sandbox = await OdooSandbox.StartAsync(new OdooSandboxOptions(), CancellationToken.None);
        using var client = new OdooClient(new OdooClientOptions { Url = sandbox.BaseAddress, Database = "sandbox", Login = "admin", Password = "admin", Protocol = OdooProtocol.XmlRpc });
        await client.ConnectAsync(CancellationToken.None);
        sandbox.Latency = TimeSpan.FromMilliseconds(10);
        sandbox.ResetCalls();
        var stopwatch = Stopwatch.StartNew();
        await load(client);
        return (stopwatch.Elapsed.TotalSeconds, sandbox.Calls.Values.Sum());
    }

    /// <summary>What the load activity does per batch: pre-images of matched partners first, then the upsert.</summary>
    private static async Task<IReadOnlyList<UpsertOutcome>> SnapshotAndUpsertAsync(OdooDestination destination, IReadOnlyList<DestinationRecord> batch)
    {
        await destination.SnapshotAsync("res.partner", batch, CancellationToken.None);
        return await destination.UpsertAsync("res.partner", batch, CancellationToken.None);
    }

    private static async Task ParallelBatchesAsync(List<DestinationRecord> records, Func<List<DestinationRecord>, Task> load) =>
        await Parallel.ForEachAsync(records.Chunk(BatchSize), new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (batch, _) => await load([.. batch]));

    private static string ExternalId(string kind, int i) => $"flit_bench.bench_{kind}_{i}";

    private static DestinationRecord Record(string kind, int i, params (string Field, object? Value)[] values) =>
        new(ExternalId(kind, i), kind, i.ToString(CultureInfo.InvariantCulture), "res.partner", values.ToDictionary(v => v.Field, v => v.Value), [], string.Empty, new SourceLocation("bench", i));
}
