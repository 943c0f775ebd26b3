using System.Text.RegularExpressions;
using Flit.Samples;
using Flit.Sandbox.Odoo;
using Flit.Testing;

namespace Flit.Cli.Tests;

/// <summary>
/// The real <c>flit</c> on <c>--store azure</c> against a real Azurite, to the Odoo sandbox: propose and approve, a full
/// run, a resume that replays the journal from Table Storage, a delta pass over a newer export, the run index, and a
/// rollback that gives back the database from before the migration. Nothing of the migration is kept in the local
/// workspace but the command's own files; the ID map is written in entity-group transactions, counted at the emulator.
/// </summary>
public sealed partial class AzureStoreRunTests : IAsyncLifetime
{
    private const string Migration = "azure-cutover";

    private readonly string _root = Directory.CreateTempSubdirectory("flit-azure-").FullName;
    private AzuriteServer _azurite = null!;
    private OdooSandbox _odoo = null!;
    private string _exports = null!;
    private FlitProcess _flit = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync();
        _exports = Path.Combine(_root, "exports");
        var manifest = SampleGenerator.Generate("oncourse", _exports, 120, 5, SampleOptions.Default with { WriteAttachments = true, LargeAttachmentBytes = 2048 });
        await File.WriteAllLinesAsync(Path.Combine(_root, "users.txt"), manifest.DestinationUsers);
        _odoo = await OdooSandbox.StartAsync(new OdooSandboxOptions { Users = SandboxUser.AdminAnd(manifest.DestinationUsers) }, CancellationToken.None);
        _flit = new FlitProcess(_root, new Dictionary<string, string>
        {
            ["FLIT_ODOO_PASSWORD"] = "admin",
            ["FLIT_STORAGE_CONNECTION_STRING"] = _azurite.ConnectionString,
        }, ["--store", "azure"]);
    }

    public async Task DisposeAsync()
    {
        await _odoo.DisposeAsync();
        await _azurite.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task RunResumeDeltaListAndRollback_OnAzureStorage_LeaveTheDestinationAsItWas()
    {
        var beforeMigration = OdooDumps.WithoutWriteStamps(_odoo.Dump());
        await _flit.ProposeAndApproveAsync(Migration, "oncourse-odoo", _exports);
        var target = $"odoo://admin@127.0.0.1:{_odoo.BaseAddress.Port}/sandbox";
        await _azurite.CountAsync(string.Empty);
        _azurite.ClearRequests();

        var (code, output) = await _flit.RunAsync("run", "-m", Migration, "--pair", "oncourse-odoo", "--exports", _exports, "--mode", "full", "--batch-size", "40",
            "--tenant", "acme", "--destination-users", Path.Combine(_root, "users.txt"), "--target", target);
        Assert.True(code is 0 or 4, output);
        var rows = long.Parse(Loaded().Match(output).Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        var transactions = await _azurite.CountAsync("/$batch");
        Assert.Contains("All of it as JSON: http://127.0.0.1:", output, StringComparison.Ordinal);
        // One entity-group transaction per load batch of 40 (and per 100 within one), never a call per record.
        Assert.True(transactions > 0 && transactions <= (rows / 40) + 40, $"{transactions} ID-map transactions for {rows} rows");
        var migrationFolder = Path.Combine(_root, ".flit", "migrations", Migration);
        Assert.False(Directory.Exists(Path.Combine(migrationFolder, "staging")), "staging went to the local folder");
        Assert.False(File.Exists(Path.Combine(migrationFolder, "idmap.db")), "the ID map went to SQLite");
        var afterRun = OdooDumps.WithoutWriteStamps(_odoo.Dump());

        // Resuming a finished run replays every step from the journal in Table Storage: nothing is written again.
        _azurite.ClearRequests();
        (code, output) = await _flit.RunAsync("resume", "-m", Migration);
        Assert.True(code is 0 or 4, output);
        Assert.Equal(0, await _azurite.CountAsync("/$batch"));
        Assert.Equal(afterRun, OdooDumps.WithoutWriteStamps(_odoo.Dump()));

        var newer = NewerExports.Write(_exports, Path.Combine(_root, "newer"), out var changed, out _, out var added);
        (code, output) = await _flit.RunAsync("delta", "-m", Migration, "--exports", newer);
        Assert.True(code is 0 or 4, output);
        Assert.Contains($"→ {added.Count} created", output, StringComparison.Ordinal);

        (code, output) = await _flit.RunAsync("list", "--tenant", "acme");
        Assert.True(code == 0 && output.Contains($"{Migration}\toncourse-odoo\t", StringComparison.Ordinal), output);
        (code, output) = await _flit.RunAsync("status", "-m", Migration);
        Assert.True(code == 0 && output.Contains("1 pass", StringComparison.Ordinal), output);

        (code, output) = await _flit.RunAsync("rollback", "-m", Migration);
        Assert.True(code == 0, output);
        Assert.Equal(beforeMigration, OdooDumps.WithoutWriteStamps(_odoo.Dump()));
        (_, output) = await _flit.RunAsync("list", "--tenant", "acme");
        Assert.Contains($"{Migration}\toncourse-odoo\trolled-back", output, StringComparison.Ordinal);
        Assert.True(changed.Count > 0);
    }

    /// <summary>
    /// Killed halfway through its journal (read live from Table Storage) and resumed, a run gives the destination an
    /// uninterrupted run gives: same migration, same export, its own Azurite and Odoo sandbox for the reference.
    /// </summary>
    [Fact]
    public async Task KilledHalfway_ResumedFromTableStorage_GivesTheDestinationOfAnUninterruptedRun()
    {
        await using var referenceAzurite = await AzuriteServer.StartAsync();
        await using var referenceOdoo = await OdooSandbox.StartAsync(new OdooSandboxOptions { Users = SandboxUser.AdminAnd(await File.ReadAllLinesAsync(Path.Combine(_root, "users.txt"))) }, CancellationToken.None);
        var referenceRoot = Directory.CreateDirectory(Path.Combine(_root, "reference")).FullName;
        var reference = new FlitProcess(referenceRoot, new Dictionary<string, string>
        {
            ["FLIT_ODOO_PASSWORD"] = "admin",
            ["FLIT_STORAGE_CONNECTION_STRING"] = referenceAzurite.ConnectionString,
        }, ["--store", "azure"]);
        string[] Run(OdooSandbox odoo) => ["run", "-m", Migration, "--pair", "oncourse-odoo", "--exports", _exports, "--mode", "full", "--batch-size", "20", "--parallel", "1",
            "--tenant", "acme", "--destination-users", Path.Combine(_root, "users.txt"), "--target", $"odoo://admin@127.0.0.1:{odoo.BaseAddress.Port}/sandbox"];
        await reference.ProposeAndApproveAsync(Migration, "oncourse-odoo", _exports);
        var (code, output) = await reference.RunAsync(Run(referenceOdoo));
        Assert.True(code is 0 or 4, output);
        var steps = await JournalEntriesAsync(referenceAzurite);

        await _flit.ProposeAndApproveAsync(Migration, "oncourse-odoo", _exports);
        using (var killed = _flit.Start(Run(_odoo)))
        {
            var drained = Task.WhenAll(killed.StandardOutput.BaseStream.CopyToAsync(Stream.Null), killed.StandardError.BaseStream.CopyToAsync(Stream.Null));
            while (!killed.HasExited && await JournalEntriesAsync(_azurite) < steps / 2)
            {
                await Task.Delay(5);
            }

            Assert.False(killed.HasExited, "the run ended before it could be killed halfway");
            killed.Kill(entireProcessTree: true);
            await killed.WaitForExitAsync();
            await drained;
        }

        Assert.InRange(await JournalEntriesAsync(_azurite), steps / 2, steps - 1);
        // One batch at a time, as the reference ran: Odoo numbers records in the order they are created.
        (code, output) = await _flit.RunAsync("resume", "-m", Migration, "--parallel", "1");
        Assert.True(code is 0 or 4, output);
        Assert.Equal(steps, await JournalEntriesAsync(_azurite));
        Assert.Equal(OdooDumps.WithoutServerStamps(referenceOdoo.Dump()), OdooDumps.WithoutServerStamps(_odoo.Dump()));
    }

    /// <summary>Journal entries of the migration's first attempt (run id <c>{migration}#1</c>, '#' escaped in the key).</summary>
    private static async Task<int> JournalEntriesAsync(AzuriteServer azurite)
    {
        var table = new Azure.Data.Tables.TableClient(azurite.ConnectionString, "flitjournal");
        var count = 0;
        try
        {
            await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>($"PartitionKey eq '{Migration}%231'", select: ["RowKey"]))
            {
                count++;
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // The run has not created its journal table yet.
        }

        return count;
    }

    [Fact]
    public async Task StoreAzure_WithoutAnAccount_IsAUsageErrorNamingTheOptions()
    {
        var flit = new FlitProcess(_root, commonArgs: ["--store", "azure"]);

        var (code, output) = await flit.RunAsync("status", "-m", Migration);

        Assert.Equal(2, code);
        Assert.Contains("--storage-connection-string (or FLIT_STORAGE_CONNECTION_STRING) or --storage-account-url", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"([\d,]+) records →")]
    private static partial Regex Loaded();
}
