using System.CommandLine;
using System.Globalization;
using Flit.Activities;
using Flit.Activities.Approval;
using Flit.Activities.Auditing;
using Flit.Activities.Proposing;
using Flit.Activities.Reporting;
using Flit.Activities.Staging;
using Flit.Cli.Hosting;
using Flit.Core.Audit;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Workflow;
using Flit.Samples;
using Flit.Sources.Layouts;
using Flit.Sources.Readers;
using Flit.Storage.Local;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Flit.Cli.Commands;

/// <summary>Commands that act on one migration: audit, propose, approve, run, resume, and the demo.</summary>
internal static class MigrationCommands
{
    private static readonly Option<string> Target = new("--target") { Description = "Destination: rehearsal (writes what would be sent), sandbox (an Odoo sandbox in this process), or odoo://login@host:port/database (secret in FLIT_ODOO_API_KEY or FLIT_ODOO_PASSWORD).", DefaultValueFactory = _ => "rehearsal" };
    private static readonly Option<string> Tenant = new("--tenant") { Description = "Client tenant (part of every external id).", DefaultValueFactory = _ => "client" };
    private static readonly Option<FileInfo?> Users = new("--destination-users") { Description = "For the rehearsal target: file with the destination's user e-mails, one per line." };

    public static Command Samples()
    {
        var system = new Option<string>("--system") { Description = "arkcase, casemanager, oncourse or actimo.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the export to.", Required = true };
        var records = new Option<int>("--records") { Description = "Size of the main object (persons, contacts, staff).", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same bytes.", DefaultValueFactory = _ => 42 };
        var clean = new Option<bool>("--clean") { Description = "No dirt (default: realistic rates, see manifest.json)." };
        var command = new Command("samples", "Write a realistic source export with known dirt, deterministically.") { system, output, records, seed, clean };
        command.SetAction((parse, ct) => FlitCommands.Guarded(() =>
        {
            var manifest = SampleGenerator.Generate(parse.GetValue(system)!, parse.GetValue(output)!.FullName, parse.GetValue(records), parse.GetValue(seed),
                parse.GetValue(clean) ? SampleOptions.Clean : SampleOptions.Default);
            var table = new Table().AddColumns("object", "records");
            foreach (var (name, count) in manifest.Objects)
            {
                table.AddRow(name, count.ToString("N0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"Dirt: {string.Join(", ", manifest.Dirt.Select(d => $"{d.Key} {d.Value.Count}"))}");
            AnsiConsole.MarkupLineInterpolated($"Written to {parse.GetValue(output)!.FullName} (manifest.json lists the dirt by record).");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    public static Command Audit()
    {
        var migration = CommonOptions.Migration();
        var pair = CommonOptions.Pair();
        var exports = CommonOptions.Exports();
        var encoding = CommonOptions.Encoding();
        var command = new Command("audit", "Audit an export: inventory, findings, custom-field plan, disclosures, rebuild packages. Given the destination (--target, or --destination-users for a rehearsal), every owner without a destination user is listed.") { migration, pair, exports, encoding, Target, Users };
        command.SetAction((parse, ct) => FlitCommands.Guarded(async () =>
        {
            CheckExports(parse.GetValue(exports)!.FullName, parse.GetValue(pair)!);
            var users = parse.GetValue(Users) is { } file ? (await File.ReadAllLinesAsync(file.FullName, ct)).Where(l => l.Contains('@', StringComparison.Ordinal)).ToList() : [];
            await using var host = await OpenAsync(parse, parse.GetValue(migration)!, parse.GetValue(pair)!, parse.GetValue(encoding), ct, parse.GetValue(Target)!, users);
            var input = await StageAsync(host, parse.GetValue(exports)!.FullName, ct);
            var result = await new AuditActivity(host.Store, host.Exports, host.Destination).RunAsync(input, ct);
            var report = AuditWriter.FromJson(await host.Store.ReadTextAsync(result.ReportPath, ct));
            var table = new Table().AddColumns("severity", "finding", "records");
            foreach (var f in report.Findings)
            {
                table.AddRow(f.Severity.ToString(), Markup.Escape(f.Message), f.Count.ToString("N0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"{report.Records:N0} records, {report.CustomFields.Count} custom fields planned, {report.RebuildPackages.Count} rebuild packages.");
            AnsiConsole.MarkupLineInterpolated($"Report: {host.Where(RunPaths.Audit(input.Request.MigrationId, "md"))}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Propose()
    {
        var migration = CommonOptions.Migration();
        var pair = CommonOptions.Pair();
        var exports = CommonOptions.Exports();
        var encoding = CommonOptions.Encoding();
        var command = new Command("propose", "Propose the mapping (default spec + a target for every uncovered column) and print the spec hash to approve.") { migration, pair, exports, encoding };
        command.SetAction((parse, ct) => FlitCommands.Guarded(async () =>
        {
            CheckExports(parse.GetValue(exports)!.FullName, parse.GetValue(pair)!);
            await using var host = await OpenAsync(parse, parse.GetValue(migration)!, parse.GetValue(pair)!, parse.GetValue(encoding), ct);
            var input = await StageAsync(host, parse.GetValue(exports)!.FullName, ct);
            var result = await new ProposeActivity(host.Store, host.Exports).RunAsync(input, ct);
            AnsiConsole.MarkupLineInterpolated($"Spec to approve: [bold]{result.SpecHash}[/] ({result.Proposals} proposals)");
            AnsiConsole.MarkupLineInterpolated($"Review: {host.Where(result.ReviewPath)}");
            AnsiConsole.MarkupLineInterpolated($"Approve with: flit approve --migration {input.Request.MigrationId} --spec {result.SpecHash} --by <your e-mail>");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Approve()
    {
        var migration = CommonOptions.Migration();
        var spec = new Option<string>("--spec") { Description = "Hash of the spec you reviewed (printed by `flit propose`).", Required = true };
        var by = new Option<string>("--by") { Description = "Who approves (e-mail).", Required = true };
        var comment = new Option<string?>("--comment") { Description = "Optional note kept with the approval." };
        var command = new Command("approve", "Approve the proposed mapping spec: records who, when and the spec's hash.") { migration, spec, by, comment };
        command.SetAction((parse, ct) => FlitCommands.Guarded(async () =>
        {
            var workspace = CommonOptions.OpenWorkspace(parse);
            var id = parse.GetValue(migration)!;
            var store = workspace.Stores.Staging(id);
            var hash = parse.GetValue(spec)!.Trim();
            if (await store.ExistsAsync(RunPaths.ProposedSpec(id), ct))
            {
                await using var stream = await store.OpenReadAsync(RunPaths.ProposedSpec(id), ct);
                using var reader = new StreamReader(stream);
                var current = MappingSpecLoader.Hash(MappingSpecLoader.Parse(await reader.ReadToEndAsync(ct), RunPaths.ProposedSpec(id)));
                if (!string.Equals(current, hash, StringComparison.OrdinalIgnoreCase))
                {
                    throw new UserFacingException($"The current proposal of {id} is spec {current}, not {hash}: review the current proposal (flit propose prints it) and approve that hash.", ExitCodes.NotApproved);
                }
            }
            else
            {
                throw new UserFacingException($"Migration {id} has no proposal yet: run `flit propose` first, review it, then approve its hash.");
            }

            var approval = new ApprovalRecord(id, hash, parse.GetValue(by)!.Trim(), TimeProvider.System.GetUtcNow(), parse.GetValue(comment));
            await CheckApprovalActivity.RecordAsync(workspace.Stores.Approvals, approval, CliLogging.Loggers.CreateLogger<CheckApprovalActivity>(), ct);
            AnsiConsole.MarkupLineInterpolated($"[green]Approved[/] spec {approval.SpecHash} for {id} by {approval.ApprovedBy} at {approval.ApprovedAt:u}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Run()
    {
        var migration = CommonOptions.Migration();
        var pair = CommonOptions.Pair();
        var exports = CommonOptions.Exports();
        var mode = new Option<RunMode>("--mode") { Description = "sample (a representative slice, ends with the field-level diff) or full.", DefaultValueFactory = _ => RunMode.Sample };
        var batch = new Option<int?>("--batch-size") { Description = $"Records per destination call (default {Flit.Destinations.Odoo.OdooDestination.RecordsPerCall:N0} to an Odoo target, {OtherBatchSize} otherwise)." };
        var sampleSize = new Option<int>("--sample-size") { Description = "Records per object in sample mode.", DefaultValueFactory = _ => 200 };
        var fallback = new Option<string?>("--fallback-owner") { Description = "Destination user (e-mail) for records whose owner has no destination user." };
        var parallel = new Option<int>("--parallel") { Description = "Batches loaded at once.", DefaultValueFactory = _ => 4 };
        var encoding = CommonOptions.Encoding();
        var window = CommonOptions.DeltaWindow();
        var command = new Command("run", "Run a migration (needs an approval of the exact spec it runs).") { migration, pair, exports, mode, batch, sampleSize, fallback, Target, Tenant, Users, parallel, encoding, window };
        command.SetAction((parse, ct) => FlitCommands.Guarded(async () =>
        {
            var id = parse.GetValue(migration)!;
            var tenant = parse.GetValue(Tenant)!;
            CheckExports(parse.GetValue(exports)!.FullName, parse.GetValue(pair)!);
            if (parse.GetValue(mode) == RunMode.Delta)
            {
                throw new UserFacingException($"A delta pass loads a newer export of a migration run in full: `flit delta --migration {id} --exports DIR`.", ExitCodes.Usage);
            }

            var request = new MigrationRequest(id, tenant, parse.GetValue(pair)!, $"drop/{tenant}/{id}", parse.GetValue(mode), parse.GetValue(batch) ?? DefaultBatchSize(parse.GetValue(Target)!), parse.GetValue(sampleSize),
                DeltaWindow: parse.GetValue(window), FallbackOwnerEmail: parse.GetValue(fallback), Encoding: parse.GetValue(encoding));
            var users = parse.GetValue(Users) is { } file ? (await File.ReadAllLinesAsync(file.FullName, ct)).Where(l => l.Contains('@', StringComparison.Ordinal)).ToList() : [];
            var workspace = CommonOptions.OpenWorkspace(parse);
            var previous = await workspace.TryLoadRequestAsync(id, ct);
            var local = new LocalRunRequest(request, parse.GetValue(Target)!, users, (previous?.Attempt ?? 0) + 1);
            await workspace.SaveRequestAsync(local, ct);
            await using var host = await LocalMigrationHost.OpenAsync(workspace, local, TimeProvider.System, ct);
            await host.UploadAsync(parse.GetValue(exports)!.FullName, ct);
            return await ExecuteAsync(host, workspace, parse.GetValue(parallel), ct);
        }));
        return command;
    }

    /// <summary>Records per call to the rehearsal destination (the request's own default).</summary>
    private const int OtherBatchSize = 500;

    /// <summary>Odoo's load() is built for thousands of rows per call (each call also costs a snapshot and a presence
    /// check per few thousand records); other destinations take the request's default.</summary>
    private static int DefaultBatchSize(string target) =>
        target.Equals("sandbox", StringComparison.OrdinalIgnoreCase) || target.StartsWith("odoo://", StringComparison.OrdinalIgnoreCase)
            ? Flit.Destinations.Odoo.OdooDestination.RecordsPerCall
            : OtherBatchSize;

    public static Command Resume()
    {
        var migration = CommonOptions.Migration();
        var parallel = new Option<int>("--parallel") { Description = "Batches loaded at once.", DefaultValueFactory = _ => 4 };
        var command = new Command("resume", "Continue a migration after a crash or Ctrl+C; completed batches are not redone.") { migration, parallel };
        command.SetAction((parse, ct) => FlitCommands.Guarded(async () =>
        {
            var workspace = CommonOptions.OpenWorkspace(parse);
            var local = await workspace.LoadRequestAsync(parse.GetValue(migration)!, ct);
            await using var host = await LocalMigrationHost.OpenAsync(workspace, local, TimeProvider.System, ct);
            return await ExecuteAsync(host, workspace, parse.GetValue(parallel), ct);
        }));
        return command;
    }

    public static Command Rollback()
    {
        var migration = CommonOptions.Migration();
        var force = new Option<bool>("--force") { Description = "Also undo records changed in the destination after the run wrote them." };
        var pass = new Option<int?>("--pass") { Description = "Undo one delta pass only, the newest not yet undone: what it created is deleted, what it updated gets back its values from before the pass." };
        var command = new Command("rollback", "Undo a migration within 72 hours — every delta pass and the full run: delete what it created, restore what it updated; records changed since are left alone unless --force. With --pass N, undo that delta pass only.") { migration, force, pass };
        command.SetAction((parse, ct) => FlitCommands.Guarded(async () =>
        {
            var workspace = CommonOptions.OpenWorkspace(parse);
            var local = await workspace.LoadRequestAsync(parse.GetValue(migration)!, ct);
            await using var host = await LocalMigrationHost.OpenAsync(workspace, local, TimeProvider.System, ct);
            RollbackReport report;
            string what;
            try
            {
                (report, what) = parse.GetValue(pass) is { } number
                    ? (await DeltaCommands.RollbackPassAsync(host, workspace, number, parse.GetValue(force), ct), $"delta pass {number} of {local.Migration.MigrationId}")
                    : (await RollbackMigrationAsync(host, workspace, parse.GetValue(force), ct), local.Migration.MigrationId);
            }
            catch (InvalidOperationException e)
            {
                throw new UserFacingException(e.Message);
            }

            if (parse.GetValue(pass) is null)
            {
                await workspace.RecordStateAsync(local.Migration, "rolled-back", local.RunId, ct);
            }

            AnsiConsole.MarkupLineInterpolated($"Rolled back {what}: {report.Deleted:N0} deleted, {report.Restored:N0} restored, {report.DroppedFields:N0} custom fields dropped, {report.Conflicts.Count:N0} conflicts left alone, {report.Failures.Count:N0} failures.");
            foreach (var line in report.Conflicts.Concat(report.Failures).Take(50))
            {
                AnsiConsole.MarkupLineInterpolated($"  {line}");
            }

            return report.Conflicts.Count + report.Failures.Count > 0 ? ExitCodes.CompletedWithFailures : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The whole migration: its delta passes newest first, then the full run; its delta window closes (no
    /// pass follows a rollback). The report adds them up.</summary>
    private static async Task<RollbackReport> RollbackMigrationAsync(LocalMigrationHost host, Workspace workspace, bool force, CancellationToken ct)
    {
        var id = host.Request.Migration.MigrationId;
        var passes = new List<RollbackReport>();
        var window = await workspace.LoadDeltaWindowAsync(id, ct);
        foreach (var pass in (window?.Passes ?? []).Where(p => p.RolledBackAt is null).OrderByDescending(p => p.Number))
        {
            passes.Add(await DeltaCommands.RollbackPassAsync(host, workspace, pass.Number, force, ct));
        }

        var report = passes.Aggregate(await host.RollbackAsync(force, ct), (total, pass) => total.Plus(pass));
        if (await workspace.LoadDeltaWindowAsync(id, ct) is { ClosedAt: null } undone)
        {
            await workspace.SaveDeltaWindowAsync(id, undone with { ClosedAt = report.At }, ct);
        }

        return report;
    }

    public static Command Sandbox()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1.", DefaultValueFactory = _ => 8069 };
        var version = new Option<string>("--odoo-version") { Description = "Odoo version to behave like: 16.0, 17.0, 18.0, saas~18.2, 19.0.", DefaultValueFactory = _ => "17.0" };
        var latency = new Option<int>("--latency-ms") { Description = "Added to every call." };
        var callCost = new Option<int>("--call-ms") { Description = "Server time of every object call, on the one worker (a real Odoo: a few ms)." };
        var recordCost = new Option<int>("--record-ms") { Description = "Server time per record a call writes, on the one worker (a real Odoo: about 2 ms)." };
        var users = new Option<FileInfo?>("--users") { Description = "File of user e-mails (one per line) the database should have besides admin." };
        var odoo = new Command("odoo", "Run a local Odoo-compatible server (XML-RPC, JSON-RPC, JSON-2 from 19) until Ctrl+C; login admin / admin, API key admin-api-key, database sandbox.") { port, version, latency, callCost, recordCost, users };
        odoo.SetAction((parse, ct) => FlitCommands.Guarded(async () =>
        {
            var emails = parse.GetValue(users) is { } file ? await File.ReadAllLinesAsync(file.FullName, ct) : [];
            await using var sandbox = await Flit.Sandbox.Odoo.OdooSandbox.StartAsync(new Flit.Sandbox.Odoo.OdooSandboxOptions
            {
                Port = parse.GetValue(port),
                Version = parse.GetValue(version)!,
                Latency = TimeSpan.FromMilliseconds(parse.GetValue(latency)),
                CallOverhead = TimeSpan.FromMilliseconds(parse.GetValue(callCost)),
                RecordCost = TimeSpan.FromMilliseconds(parse.GetValue(recordCost)),
                Users = Flit.Sandbox.Odoo.SandboxUser.AdminAnd(emails),
            }, ct);
            AnsiConsole.MarkupLineInterpolated($"Odoo sandbox {parse.GetValue(version)} on {sandbox.BaseAddress} (database sandbox, admin/admin). Stats: {sandbox.BaseAddress}sandbox/stats, state: {sandbox.BaseAddress}sandbox/dump. Ctrl+C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                AnsiConsole.MarkupLine("Sandbox stopped.");
            }

            return ExitCodes.Ok;
        }));
        return new Command("sandbox", "Local stand-ins for destinations.") { odoo };
    }

    public static Command Demo()
    {
        var pair = CommonOptions.ValidPair(new Option<string>("--pair") { Description = "Pair to demonstrate.", DefaultValueFactory = _ => "arkcase-odoo" });
        var records = new Option<int>("--records") { Description = "Size of the generated export.", DefaultValueFactory = _ => 2000 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var demoTarget = new Option<string?>("--target") { Description = "sandbox (Odoo pairs' default) or rehearsal (Dynamics' default)." };
        var command = new Command("demo", "The demo migration: generate an export, audit, propose, approve (as the demo), run a sample migration to the Odoo sandbox (or the rehearsal destination), report.") { pair, records, seed, demoTarget };
        command.SetAction((parse, ct) => FlitCommands.Guarded(async () =>
        {
            var workspace = CommonOptions.OpenWorkspace(parse);
            var pairName = parse.GetValue(pair)!;
            var id = $"demo-{pairName}-{parse.GetValue(seed)}";
            if (Directory.Exists(workspace.MigrationFolder(id)))
            {
                Directory.Delete(workspace.MigrationFolder(id), recursive: true);
            }

            var spec = MappingSpecLoader.LoadShipped(pairName);
            var exportsFolder = Path.Combine(workspace.Root, "demo-exports", pairName);
            AnsiConsole.MarkupLineInterpolated($"[bold]1. Generating[/] a {spec.Source} export of {parse.GetValue(records):N0} records (seed {parse.GetValue(seed)}) in {exportsFolder}");
            var manifest = SampleGenerator.Generate(spec.Source, exportsFolder, parse.GetValue(records), parse.GetValue(seed), SampleOptions.Default with { LargeAttachmentBytes = 64 * 1024 });
            // Owners without a destination user go to the first real user, to show the fallback at work.
            var request = new MigrationRequest(id, "demo", pairName, $"drop/demo/{id}", RunMode.Sample, SampleSize: 200, FallbackOwnerEmail: manifest.DestinationUsers.Count > 0 ? manifest.DestinationUsers[0] : null);
            var target = parse.GetValue(demoTarget) ?? (spec.Destination == "odoo" ? "sandbox" : "rehearsal");
            var local = new LocalRunRequest(request, target, manifest.DestinationUsers);
            await workspace.SaveRequestAsync(local, ct);
            await using var host = await LocalMigrationHost.OpenAsync(workspace, local, TimeProvider.System, ct);
            await host.UploadAsync(exportsFolder, ct);
            var input = await StageAsync(host, null, ct);

            var audit = await new AuditActivity(host.Store, host.Exports, host.Destination).RunAsync(input, ct);
            AnsiConsole.MarkupLineInterpolated($"[bold]2. Audit[/]: {audit.Records:N0} records, {audit.Findings:N0} findings ({audit.BlockingFindings:N0} blocking) → {host.Where(RunPaths.Audit(id, "md"))}");
            var proposal = await new ProposeActivity(host.Store, host.Exports).RunAsync(input, ct);
            AnsiConsole.MarkupLineInterpolated($"[bold]3. Proposal[/]: spec {proposal.SpecHash}, {proposal.Proposals} column proposals → {host.Where(proposal.ReviewPath)}");
            await CheckApprovalActivity.RecordAsync(workspace.Stores.Approvals, new ApprovalRecord(id, proposal.SpecHash, "flit demo (automatic approval for the demonstration)", TimeProvider.System.GetUtcNow(), "demo"), CliLogging.Loggers.CreateLogger<CheckApprovalActivity>(), ct);
            AnsiConsole.MarkupLineInterpolated($"[bold]4. Approved[/] spec {proposal.SpecHash} (by the demo; real runs need `flit approve`).");
            AnsiConsole.MarkupLineInterpolated($"[bold]5. Sample migration[/] to the {(target == "sandbox" ? "Odoo sandbox" : "rehearsal destination")}:");
            var code = await ExecuteAsync(host, workspace, 4, ct);
            if (target == "rehearsal")
            {
                AnsiConsole.MarkupLineInterpolated($"What was sent, per call: {workspace.DestinationFolder(id)}/sent");
            }
            return code == ExitCodes.CompletedWithFailures ? ExitCodes.Ok : code;
        }));
        return command;
    }

    /// <summary>The terminal's width, or null when the output goes to a file or a pipe (lines are kept whole there).</summary>
    internal static int? TerminalWidth() => Console.IsOutputRedirected ? null : AnsiConsole.Profile.Width;

    /// <summary>Audit and propose need no destination: they run against the rehearsal one.</summary>
    private static async Task<LocalMigrationHost> OpenAsync(ParseResult parse, string id, string pair, string? encoding, CancellationToken ct, string target = "rehearsal", IReadOnlyList<string>? users = null)
    {
        var workspace = CommonOptions.OpenWorkspace(parse);
        var request = new MigrationRequest(id, parse.GetValue(Tenant) ?? "client", pair, $"drop/client/{id}", RunMode.Sample, Encoding: encoding);
        return await LocalMigrationHost.OpenAsync(workspace, new LocalRunRequest(request, target, users ?? []), TimeProvider.System, ct);
    }

    /// <summary>
    /// Refuses an exports folder the pair can read nothing from before anything is copied into the drop (the stage
    /// activity checks the drop again, for hosts that are handed a drop).
    /// </summary>
    internal static void CheckExports(string folder, string pair) =>
        ExportFolder.EnsureReadable(folder, SourceLayouts.Get(MappingSpecLoader.LoadShipped(pair).Source), pair.Trim().ToLowerInvariant());

    private static async Task<ActivityInput> StageAsync(LocalMigrationHost host, string? exportsFolder, CancellationToken ct)
    {
        var request = host.Request.Migration;
        if (exportsFolder is not null)
        {
            await host.UploadAsync(exportsFolder, ct);
        }

        var input = new ActivityInput(request);
        await new StageActivity(host.Store, TimeProvider.System).RunAsync(input, ct);
        return input;
    }

    /// <summary>Runs (or resumes) the host's request to its end, keeps the migration's delta window up to date, prints
    /// the summary and returns the exit code.</summary>
    internal static async Task<int> ExecuteAsync(LocalMigrationHost host, Workspace workspace, int parallelism, CancellationToken ct)
    {
        var request = host.Request.Migration;
        MigrationOutcome outcome;
        await workspace.RecordStateAsync(request, "running", host.Request.RunId, ct);
        try
        {
            outcome = await RunWithProgressAsync(host, parallelism, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await workspace.RecordStateAsync(request, "failed", host.Request.RunId, CancellationToken.None);
            throw;
        }

        var result = outcome;
        await workspace.RecordStateAsync(request, result.Status, host.Request.RunId, ct);
        if (result.Status == "not-approved")
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Not approved: nothing was written.[/] {result.Reason}");
            return ExitCodes.NotApproved;
        }

        if (result.Status == "blocked")
        {
            await Console.Error.WriteLineAsync($"Stopped before loading: {result.Reason}");
            return ExitCodes.OwnersUnmatched;
        }

        await RecordDeltaWindowAsync(host, workspace, result, ct);
        var paths = result.Report!;
        var report = await RunReport.ReadAsync(host.Store, paths.JsonPath, ct);
        RunSummary.Write(Console.Out, TerminalWidth(), result.Status, report, new ReportFiles(host.Where(paths.ReadablePath), host.Where(paths.CsvPath), host.Where(paths.JsonPath)));
        Console.Out.WriteLine($"Status: flit status --migration {request.MigrationId} --workdir {workspace.Root}");
        return result.Reconciliation!.Failed + result.Reconciliation.Conflicts > 0 ? ExitCodes.CompletedWithFailures : ExitCodes.Ok;
    }

    private static async Task<MigrationOutcome> RunWithProgressAsync(LocalMigrationHost host, int parallelism, CancellationToken ct)
    {
        MigrationOutcome? outcome = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("starting", maxValue: 1);
                var started = TimeProvider.System.GetTimestamp();
                outcome = await host.RunAsync(status =>
                {
                    task.MaxValue = Math.Max(1, status.BatchesTotal);
                    task.Value = status.BatchesDone;
                    var rate = status.BatchesDone / Math.Max(0.001, TimeProvider.System.GetElapsedTime(started).TotalSeconds);
                    task.Description = Markup.Escape($"{status.Stage}{(status.Phase is { } p ? $" phase {p}" : string.Empty)} {status.BatchesDone}/{status.BatchesTotal} batches ({rate:0.0}/s) {status.Detail}");
                }, parallelism, ct);
                task.Value = task.MaxValue;
            });
        return outcome!;
    }

    /// <summary>A full run opens the delta window (a re-run or resume of it keeps the one it opened); a delta pass is
    /// recorded in it with its counts.</summary>
    private static async Task RecordDeltaWindowAsync(LocalMigrationHost host, Workspace workspace, MigrationOutcome result, CancellationToken ct)
    {
        var id = host.Request.Migration.MigrationId;
        var window = await workspace.LoadDeltaWindowAsync(id, ct);
        var now = TimeProvider.System.GetUtcNow();
        if (result.Status == MigrationWorkflow.DeltaWindowOpen && result.DeltaWindowClosesAt is { } closesAt)
        {
            await workspace.SaveDeltaWindowAsync(id, window is { } open && open.ClosesAt == closesAt ? open : new DeltaWindow(now, closesAt, window?.Passes ?? []), ct);
        }
        else if (result.Status == MigrationWorkflow.DeltaPassCompleted && host.Request.DeltaPass is { } number && window is not null)
        {
            await workspace.SaveDeltaWindowAsync(id, window.With(DeltaPass.Of(number, host.Request.RunId, now, result.Reconciliation!, host.Where(result.Report!.ReadablePath))), ct);
        }
    }
}
