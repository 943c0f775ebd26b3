using System.CommandLine;
using Flit.Activities;
using Flit.Activities.Reporting;
using Flit.Cli.Hosting;
using Flit.Sources.Readers;
using Spectre.Console;

namespace Flit.Cli.Commands;

/// <summary>The command tree. Handlers stay thin: they parse, call the local runner, and turn outcomes into exit codes.</summary>
internal static class FlitCommands
{
    public static IEnumerable<Command> All()
    {
        yield return MigrationCommands.Demo();
        yield return MigrationCommands.Samples();
        yield return MigrationCommands.Audit();
        yield return MigrationCommands.Propose();
        yield return MigrationCommands.Approve();
        yield return MigrationCommands.Run();
        yield return MigrationCommands.Resume();
        yield return DeltaCommands.Delta();
        yield return MigrationCommands.Rollback();
        yield return MigrationCommands.Sandbox();
        yield return List();
        yield return Status();
        yield return Report();
    }

    private static Command List()
    {
        var tenant = new Option<string>("--tenant") { Description = "The client tenant whose migrations to list.", DefaultValueFactory = _ => "client" };
        var command = new Command("list", "List a tenant's migrations and where each is, from the run index.") { tenant };
        command.SetAction((parse, ct) => Guarded(async () =>
        {
            var workspace = CommonOptions.OpenWorkspace(parse);
            var entries = await workspace.ListAsync(parse.GetValue(tenant)!.Trim(), ct);
            if (entries.Count == 0)
            {
                Console.Out.WriteLine($"No migrations of tenant '{parse.GetValue(tenant)}' in {workspace.Describe}.");
            }

            foreach (var entry in entries)
            {
                Console.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{entry.MigrationId}\t{entry.Pair}\t{entry.State}\t{entry.RunId}\t{entry.UpdatedAt:u}"));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Status()
    {
        var migration = CommonOptions.Migration();
        var command = new Command("status", "Show where a migration is.") { migration };
        command.SetAction((parse, ct) => Guarded(async () =>
        {
            var workspace = CommonOptions.OpenWorkspace(parse);
            var id = parse.GetValue(migration)!;
            var status = await workspace.LoadStatusAsync(id, ct)
                ?? throw new UserFacingException($"No status for migration '{id}' in {workspace.Describe}: it has not been started.");
            AnsiConsole.MarkupLineInterpolated($"{id}: [bold]{status.Stage}[/] phase {status.Phase?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, batches {status.BatchesDone}/{status.BatchesTotal} {status.Detail}");
            if (await workspace.LoadDeltaWindowAsync(id, ct) is { } window)
            {
                DeltaCommands.WriteStatus(Console.Out, window, TimeProvider.System.GetUtcNow());
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Report()
    {
        var migration = CommonOptions.Migration();
        var command = new Command("report", "Summarise a migration's report and say where it is (report.html to read, report.csv with every record not loaded and every warning, report.json).") { migration };
        command.SetAction((parse, ct) => Guarded(async () =>
        {
            var workspace = CommonOptions.OpenWorkspace(parse);
            var id = parse.GetValue(migration)!;
            var store = workspace.Stores.Staging(id);
            if (!await store.ExistsAsync(RunPaths.Report(id, "json"), ct))
            {
                throw new UserFacingException($"Migration '{id}' has no report yet: it is written after reconciliation (`flit status --migration {id}`).");
            }

            var report = await RunReport.ReadAsync(store, RunPaths.Report(id, "json"), ct);
            Console.Out.WriteLine(RunSummary.Plain(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Migration {id} ({report.Pair}, {report.Mode.ToLowerInvariant()} run, spec {report.SpecHash}), reconciled {report.At:u}:")));
            RunSummary.Write(Console.Out, MigrationCommands.TerminalWidth(), "reconciled", report, new ReportFiles(
                workspace.Stores.Where(id, RunPaths.Report(id, "html")), workspace.Stores.Where(id, RunPaths.Report(id, "csv")), workspace.Stores.Where(id, RunPaths.Report(id, "json"))));
            if (await workspace.LoadDeltaWindowAsync(id, ct) is { Passes.Count: > 0 } window)
            {
                DeltaCommands.WriteStatus(Console.Out, window, TimeProvider.System.GetUtcNow());
            }

            if (await store.ExistsAsync(RunPaths.Report(id, "migration.json"), ct))
            {
                var summary = await store.ReadJsonAsync<MigrationSummary>(RunPaths.Report(id, "migration.json"), ct);
                DeltaCommands.WriteTotals(Console.Out, summary, workspace.Stores.Where(id, RunPaths.Report(id, "migration.json")));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Turns errors meant for people into a message on stderr and an exit code, without a stack trace: usage errors,
    /// and every export that cannot be used (exit 5), also when an activity of the workflow met it. Everything else is
    /// a bug and keeps its stack.
    /// </summary>
    internal static async Task<int> Guarded(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (UserError(e) is { } error)
        {
            await Console.Error.WriteLineAsync(error.Message);
            return error.ExitCode;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]Stopped. `flit resume` continues where the run left off.[/]");
            return ExitCodes.Error;
        }
    }

    /// <summary>The error meant for people in <paramref name="e"/>, looking through wrappers (aggregates, inner exceptions).</summary>
    internal static (string Message, int ExitCode)? UserError(Exception e)
    {
        switch (e)
        {
            case UserFacingException user:
                return (user.Message, user.ExitCode);
            case ExportInputException input:
                return (input.Message, ExitCodes.BadInput);
            case AggregateException aggregate:
                return aggregate.InnerExceptions.Select(UserError).FirstOrDefault(found => found is not null);
            default:
                return e.InnerException is { } inner ? UserError(inner) : null;
        }
    }
}
