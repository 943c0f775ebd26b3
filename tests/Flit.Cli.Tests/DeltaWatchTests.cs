using System.Text.Json.Nodes;
using Flit.Samples;

namespace Flit.Cli.Tests;

/// <summary>
/// <c>flit delta --watch</c>: the delta window's loop over a folder. A newer export dropped as a subfolder is loaded by a
/// pass of its own; at the deadline the window closes with a reconciliation of the whole migration, and the command
/// ends.
/// </summary>
public sealed class DeltaWatchTests : IAsyncLifetime
{
    private const string Migration = "watched";

    private readonly string _root = Directory.CreateTempSubdirectory("flit-delta-watch-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Watch_LoadsANewerExportDroppedInTheFolder_ThenClosesTheWindowWithAReconciliationOfTheMigration()
    {
        var exports = Path.Combine(_root, "exports");
        var users = SampleGenerator.Generate("oncourse", exports, 40, 4, SampleOptions.Default with { WriteAttachments = false }).DestinationUsers;
        await File.WriteAllLinesAsync(Path.Combine(_root, "users.txt"), users);
        var flit = new FlitProcess(_root);
        await flit.ProposeAndApproveAsync(Migration, "oncourse-odoo", exports);
        var (code, output) = await flit.RunAsync("run", "-m", Migration, "--pair", "oncourse-odoo", "--exports", exports, "--mode", "full",
            "--destination-users", Path.Combine(_root, "users.txt"), "--fallback-owner", users[0], "--delta-window", "15s");
        Assert.True(code is 0 or 4, output);

        var watched = Directory.CreateDirectory(Path.Combine(_root, "drop")).FullName;
        using var watch = flit.Start("delta", "-m", Migration, "--watch", watched, "--poll", "1s", "--settle", "1s");
        var stdout = watch.StandardOutput.ReadToEndAsync();
        var stderr = watch.StandardError.ReadToEndAsync();
        NewerExports.Write(exports, Path.Combine(watched, "002"), out _, out _, out var added);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await watch.WaitForExitAsync(timeout.Token);
        output = await stdout + await stderr;

        Assert.True(watch.ExitCode == 0, output);
        Assert.Contains("pass 1 (", output, StringComparison.Ordinal);
        Assert.Contains($"{added.Count} created", output, StringComparison.Ordinal);
        Assert.Contains("closed:", output, StringComparison.Ordinal);
        var final = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_root, ".flit", "migrations", Migration, "staging", "runs", Migration, "report", "report.final-reconciliation.json")))!;
        var contacts = final["presence"]!.AsArray().Single(p => p!["sourceObject"]!.GetValue<string>() == "contact")!;
        Assert.Equal(contacts["expected"]!.GetValue<long>(), contacts["found"]!.GetValue<long>());
        Assert.True(contacts["expected"]!.GetValue<long>() > 30, contacts.ToJsonString());

        (code, output) = await flit.RunAsync("status", "-m", Migration);
        Assert.True(code == 0 && output.Contains("Delta window: closed at", StringComparison.Ordinal) && output.Contains("1 pass.", StringComparison.Ordinal), output);
        (code, output) = await flit.RunAsync("delta", "-m", Migration, "--watch", watched);
        Assert.True(code == 2 && output.Contains("closed at", StringComparison.Ordinal), output);
    }
}
