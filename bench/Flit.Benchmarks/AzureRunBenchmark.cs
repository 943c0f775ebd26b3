using System.Diagnostics;
using System.Globalization;
using Flit.Samples;
using Flit.Testing;

/// <summary>
/// A whole migration on <c>--store azure</c>: a generated Oncourse export, propose, approve and a full run to the
/// rehearsal target with staging in Blob Storage and the ID map, journal and state in Table Storage, on a real
/// Azurite. Prints the run's time and the calls the emulator received per store, counted from its access log: the ID
/// map's entity-group transactions and queries, the other tables, and the blobs.
/// </summary>
internal static class AzureRunBenchmark
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(IReadOnlyList<int> rows)
    {
        Console.WriteLine($"whole run on --store azure (Azurite 3.37, in memory), Oncourse CRM → rehearsal, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        foreach (var size in rows)
        {
            await using var azurite = await AzuriteServer.StartAsync();
            Environment.SetEnvironmentVariable("FLIT_STORAGE_CONNECTION_STRING", azurite.ConnectionString);
            var work = Directory.CreateTempSubdirectory("flit-azurerun-").FullName;
            try
            {
                var contacts = Math.Max(100, (int)(size / 3.25));
                var exports = Path.Combine(work, "exports");
                var manifest = SampleGenerator.Generate("oncourse", exports, contacts, 7, SampleOptions.Default with { LargeAttachmentBytes = 64 * 1024 });
                await File.WriteAllLinesAsync(Path.Combine(work, "users.txt"), manifest.DestinationUsers);
                var total = manifest.Objects.Values.Sum();
                var migration = $"azure{size}";
                await FlitProcess.ProposeAndApproveAsync(work, migration, "oncourse-odoo", exports, "--store", "azure");
                await azurite.CountAsync(string.Empty);
                azurite.ClearRequests();
                var clock = Stopwatch.StartNew();
                var (code, output) = await FlitProcess.RunAsync(work, "run", "-m", migration, "--pair", "oncourse-odoo", "--exports", exports, "--mode", "full",
                    "--target", "rehearsal", "--destination-users", Path.Combine(work, "users.txt"), "--fallback-owner", manifest.DestinationUsers[0], "--store", "azure");
                var seconds = clock.Elapsed.TotalSeconds;
                var transactions = await azurite.CountAsync("/$batch");
                var idMapQueries = await azurite.CountAsync("/flitidmap()");
                var journal = await azurite.CountAsync("/flitjournal");
                var state = await azurite.CountAsync("/flitstate");
                var all = await azurite.CountAsync(string.Empty);
                if (Environment.GetEnvironmentVariable("FLIT_BENCH_AZURITE_LOG") is { } log)
                {
                    await File.WriteAllLinesAsync(log, azurite.Requests);
                }

                var tables = transactions + idMapQueries + journal + state + await azurite.CountAsync("/flitapprovals") + await azurite.CountAsync("/flitmigrations") + await azurite.CountAsync("/Tables");
                Console.WriteLine(string.Create(Culture, $"{total:N0} source rows: {seconds:0.0} s, {total / seconds:N0} rows/s, exit {code}: {FlitProcess.Summary(output)}"));
                Console.WriteLine(string.Create(Culture, $"  ID map: {transactions:N0} entity-group transactions ({total * 1000.0 / transactions / 1000:0} rows each), {idMapQueries:N0} queries (look-ups, listings); {(transactions + idMapQueries) * 1000.0 / total:0.0} calls per 1,000 rows"));
                Console.WriteLine(string.Create(Culture, $"  journal {journal:N0} calls, state {state:N0}; blobs {all - tables:N0}; all {all:N0}"));
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        return 0;
    }
}
