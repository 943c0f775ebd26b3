using System.CommandLine;
using System.Globalization;
using Flit.Cli.Hosting;
using Flit.Core.Workflow;
using Spectre.Console;

namespace Flit.Cli.Commands;

/// <summary>The delta-pickup window: passes over newer exports while it is open.</summary>
internal static class DeltaCommands
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static Command Delta()
    {
        var migration = CommonOptions.Migration();
        var exports = new Option<DirectoryInfo?>("--exports") { Description = "Folder holding the newer export: one pass over it." };
        var watch = new Option<DirectoryInfo?>("--watch") { Description = "Folder to watch until the window closes: each new subfolder (or a changed manifest.json) is a newer export, loaded by a pass of its own; closing the window reconciles the whole migration." };
        var poll = CommonOptions.Duration("--poll", "How often the watched folder is looked at", TimeSpan.FromSeconds(30));
        var settle = CommonOptions.Duration("--settle", "How long an export's files must be unchanged before it is read", TimeSpan.FromSeconds(10));
        var force = new Option<bool>("--force") { Description = "Also overwrite records someone changed in the destination since the migration wrote them (otherwise they are conflicts, reported and left as they are)." };
        var parallel = new Option<int>("--parallel") { Description = "Batches loaded at once.", DefaultValueFactory = _ => 4 };
        var command = new Command("delta", "While a migration's delta window is open, load a newer export (--exports: one pass) or every newer export dropped into a folder until the window closes (--watch): new rows are created, changed rows updated (never over an edit made in the destination), unchanged rows left alone, rows gone from the export reported.") { migration, exports, watch, poll, settle, force, parallel };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(exports) is null) == (result.GetValue(watch) is null))
            {
                result.AddError("Give either --exports (one pass over a newer export) or --watch (a folder watched until the window closes).");
            }
        });
        command.SetAction((parse, ct) => FlitCommands.Guarded(async () =>
        {
            var workspace = CommonOptions.OpenWorkspace(parse);
            var id = parse.GetValue(migration)!;
            var previous = await workspace.LoadRequestAsync(id, ct);
            var window = await OpenWindowAsync(workspace, id, ct);
            if (parse.GetValue(watch) is { } folder)
            {
                return await WatchAsync(workspace, previous, window, folder.FullName, parse.GetValue(poll)!.Value, parse.GetValue(settle)!.Value, parse.GetValue(force), parse.GetValue(parallel), ct);
            }

            if (await workspace.LoadDeltaWatchAsync(id, ct) is not null)
            {
                throw new UserFacingException($"The delta window of {id} is watched (`flit delta --watch`): drop the newer export into the watched folder.", ExitCodes.Usage);
            }

            if (previous.DeltaPass is { } unfinished && window.Passes.All(p => p.Number != unfinished))
            {
                throw new UserFacingException($"Delta pass {unfinished} of {id} did not finish: `flit resume --migration {id}` finishes it first.", ExitCodes.Usage);
            }

            MigrationCommands.CheckExports(parse.GetValue(exports)!.FullName, previous.Migration.Pair);
            var request = previous.Migration with { Mode = RunMode.Delta, OverwriteDestinationEdits = parse.GetValue(force) };
            var local = new LocalRunRequest(request, previous.Target, previous.DestinationUsers, previous.Attempt + 1, window.NextPass);
            await workspace.SaveRequestAsync(local, ct);
            await using var host = await LocalMigrationHost.OpenAsync(workspace, local, TimeProvider.System, ct);
            await host.UploadAsync(parse.GetValue(exports)!.FullName, ct);
            AnsiConsole.MarkupLineInterpolated($"Delta pass {local.DeltaPass} of {id} (window open until {window.ClosesAt:u}).");
            return await MigrationCommands.ExecuteAsync(host, workspace, parse.GetValue(parallel), ct);
        }));
        return command;
    }

    /// <summary>
    /// Undoes one finished delta pass, the newest not undone yet (a later pass may have written the same records over
    /// it), within the rollback retention of its end; the window records it.
    /// </summary>
    public static async Task<Flit.Activities.Reporting.RollbackReport> RollbackPassAsync(LocalMigrationHost host, Workspace workspace, int number, bool force, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(workspace);
        var id = host.Request.Migration.MigrationId;
        var window = await workspace.LoadDeltaWindowAsync(id, ct);
        var pass = window?.Passes.FirstOrDefault(p => p.Number == number)
            ?? throw new UserFacingException($"Migration {id} has no finished delta pass {number} (passes: {(window is { Passes.Count: > 0 } w ? string.Join(", ", w.Passes.Select(p => p.Number)) : "none")}).", ExitCodes.Usage);
        if (pass.RolledBackAt is { } at)
        {
            throw new UserFacingException($"Delta pass {number} of {id} was rolled back at {at:u}.", ExitCodes.Usage);
        }

        if (window!.Passes.Where(p => p.Number > number && p.RolledBackAt is null).Select(p => p.Number).DefaultIfEmpty().Max() is var newer and > 0)
        {
            throw new UserFacingException($"Roll back delta pass {newer} of {id} first: passes are undone newest first.", ExitCodes.Usage);
        }

        var now = TimeProvider.System.GetUtcNow();
        if (now - pass.At > Flit.Activities.Reporting.RollbackActivity.DefaultRetention)
        {
            throw new UserFacingException($"Delta pass {number} of {id} ended at {pass.At:u}; rollback is available for {Flit.Activities.Reporting.RollbackActivity.DefaultRetention.TotalHours:0} hours after a run, and that window has closed.");
        }

        var report = await host.RollbackPassAsync(pass.RunId, force, ct);
        await workspace.SaveDeltaWindowAsync(id, window.With(pass with { RolledBackAt = report.At }), ct);
        await host.SummarizeAsync(ct);
        return report;
    }

    /// <summary>The window's loop (<see cref="DeltaWorkflow"/>) over a watched folder until it closes; each pass is
    /// recorded in the window as it ends.</summary>
    private static async Task<int> WatchAsync(Workspace workspace, LocalRunRequest previous, DeltaWindow window, string folder, TimeSpan poll, TimeSpan settle, bool force, int parallel, CancellationToken ct)
    {
        var id = previous.Migration.MigrationId;
        var request = previous.Migration with { Mode = RunMode.Full, OverwriteDestinationEdits = force };
        await using var host = await LocalMigrationHost.OpenAsync(workspace, previous with { Migration = request }, TimeProvider.System, ct);
        host.Watch = new LocalExportWatch(folder, settle, TimeProvider.System);
        AnsiConsole.MarkupLineInterpolated($"Watching {folder} for newer exports of {id} until {window.ClosesAt:u} (every {poll.TotalSeconds:0} s).");
        var missing = 0L;
        await host.RunDeltaWindowAsync(new DeltaWindowInput(request, window.ClosesAt, poll, window.NextPass), _ => { }, async generation =>
        {
            var now = TimeProvider.System.GetUtcNow();
            var current = await workspace.LoadDeltaWindowAsync(id, ct) ?? window;
            if (generation is { Status: DeltaWorkflow.PassRan, Pass: { } number, Outcome: { Reconciliation: { } counts, Report: { } report } })
            {
                var pass = DeltaPass.Of(number, generation.RunId!, now, counts, host.Where(report.ReadablePath));
                await workspace.SaveDeltaWindowAsync(id, current.With(pass), ct);
                WriteStatus(Console.Out, current.With(pass) with { Passes = [pass] }, now);
            }
            else if (generation is { Status: DeltaWorkflow.Closed, Close: { } close })
            {
                await workspace.SaveDeltaWindowAsync(id, current with { ClosedAt = now }, ct);
                missing = close.Records - close.Found;
                Console.Out.WriteLine(string.Create(Culture, $"Delta window of {id} closed: {close.Found:N0} of {close.Records:N0} records of the migration found in the destination; {host.Where(close.ReportPath)}"));
            }
            else if (generation.Outcome is { } other)
            {
                Console.Out.WriteLine($"Delta pass {generation.Pass} of {id} did not load: {other.Status}. {other.Reason} It is tried again in {poll.TotalSeconds:0} s.");
            }
        }, parallel, ct);
        return missing > 0 ? ExitCodes.CompletedWithFailures : ExitCodes.Ok;
    }

    /// <summary>The migration's window, refused when no full run opened one or it has closed.</summary>
    private static async Task<DeltaWindow> OpenWindowAsync(Workspace workspace, string id, CancellationToken ct)
    {
        var window = await workspace.LoadDeltaWindowAsync(id, ct)
            ?? throw new UserFacingException($"Migration {id} has no delta window: a full run opens it (`flit run --migration {id} --mode full ...`).", ExitCodes.Usage);
        if (!window.IsOpenAt(TimeProvider.System.GetUtcNow()))
        {
            throw new UserFacingException($"The delta window of {id} closed at {(window.ClosedAt ?? window.ClosesAt):u}: no pass starts after it.", ExitCodes.Usage);
        }

        return window;
    }

    /// <summary>The migration's summary over its runs (report/migration.json, <see cref="Flit.Activities.Reporting.MigrationSummary"/>) in one line.</summary>
    public static void WriteTotals(TextWriter output, Flit.Activities.Reporting.MigrationSummary summary, string path)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(summary);
        var totals = summary.Totals();
        var passes = summary.Runs.Count - 1;
        output.WriteLine(string.Create(Culture,
            $"Migration, full run and {passes} {(passes == 1 ? "pass" : "passes")}: {totals.Created:N0} records created, {totals.Updated:N0} updates, {totals.Conflicts:N0} conflicts left as edited in the destination, {summary.RemovedAtSource:N0} removed at the source; the latest export: {totals.Source:N0} rows, {totals.Failed:N0} failed, {totals.Skipped:N0} skipped by rule. {path}"));
    }

    /// <summary>The window's lines of <c>flit status</c>: its deadline and each pass with its counts.</summary>
    public static void WriteStatus(TextWriter output, DeltaWindow window, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(window);
        var state = window.ClosedAt is { } closed ? $"closed at {closed:u}"
            : window.IsOpenAt(now) ? $"open until {window.ClosesAt:u} ({(window.ClosesAt - now).TotalHours:0.0} h left)"
            : $"past its deadline {window.ClosesAt:u}";
        output.WriteLine(string.Create(Culture, $"Delta window: {state}, opened {window.OpenedAt:u}; {window.Passes.Count} {(window.Passes.Count == 1 ? "pass" : "passes")}."));
        foreach (var p in window.Passes)
        {
            output.WriteLine(string.Create(Culture,
                $"  pass {p.Number} ({p.At:u}): {p.Source:N0} rows → {p.Created:N0} created, {p.Updated:N0} updated, {p.Unchanged:N0} unchanged, {p.Conflicts:N0} conflicts, {p.RemovedAtSource:N0} removed at the source, {p.Failed:N0} failed, {p.Skipped:N0} skipped by rule{(p.RolledBackAt is { } undone ? $"; rolled back {undone:u}" : string.Empty)}; {p.ReportPath}"));
        }
    }
}
