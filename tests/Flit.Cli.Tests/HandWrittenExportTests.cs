using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flit.Sandbox.Odoo;

namespace Flit.Cli.Tests;

/// <summary>
/// Exports written by hand in the documented layouts (tests/Flit.Cli.Tests/Exports, not made by the generator), migrated
/// in full through the real <c>flit</c> into an Odoo sandbox over HTTP: every row of every object of the layout is
/// accounted for (the audit's inventory = the report's rows = created + updated + unchanged + failed + skipped), and what
/// each source's quirks need — folded contact methods, parents through associations, FOIA requests, day-first dates,
/// unsafe paths, repeated ids, per-recipient rows — arrives as the spec says.
/// </summary>
public sealed partial class HandWrittenExportTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Environment = new() { ["FLIT_ODOO_PASSWORD"] = "admin" };

    private readonly string _root = Directory.CreateTempSubdirectory("flit-handwritten-").FullName;
    private OdooSandbox? _odoo;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_odoo is not null)
        {
            await _odoo.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The result of migrating one hand-written export: the audit, the reconciliation and the Odoo database.</summary>
    private sealed record Migrated(int ExitCode, string Output, JsonNode Audit, JsonNode Reconciliation, JsonNode Dump)
    {
        public IEnumerable<JsonNode> Records(string model) => Dump[model]?.AsArray().Select(r => r!) ?? [];
    }

    /// <summary>Migrates a hand-written export into a fresh sandbox holding these users; the run must end (exit 0 or 4)
    /// with every row accounted for.</summary>
    private async Task<Migrated> MigrateAsync(string system, string pair, params string[] users)
    {
        var exports = Path.Combine(_root, system);
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "Exports", system), exports);
        _odoo = await OdooSandbox.StartAsync(new OdooSandboxOptions
        {
            Users = SandboxUser.AdminAnd(users),
        }, CancellationToken.None);
        var flit = new FlitProcess(_root, Environment);
        await flit.ProposeAndApproveAsync(system, pair, exports);
        var (code, output) = await flit.RunAsync("run", "-m", system, "--pair", pair, "--exports", exports, "--mode", "full", "--tenant", "acme",
            "--target", $"odoo://admin@127.0.0.1:{_odoo.BaseAddress.Port}/sandbox");
        Assert.True(code is 0 or 4, output);
        var staging = Path.Combine(_root, ".flit", "migrations", system, "staging", "runs", system);
        var run = new Migrated(
            code,
            output,
            JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(staging, "audit", "audit.json")))!,
            JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(staging, "report", "report.reconciliation.json")))!,
            JsonNode.Parse(_odoo.Dump())!);
        AssertEveryRowAccountedFor(run);
        return run;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>For every object of the layout: the audit's inventory count is the report's row count, and every row is
    /// created, updated, unchanged, failed or skipped — nothing read vanishes.</summary>
    private static void AssertEveryRowAccountedFor(Migrated run)
    {
        var sources = run.Reconciliation["sources"]!.AsArray().ToDictionary(s => s!["layoutObject"]!.GetValue<string>(), s => s!);
        foreach (var inventory in run.Audit["inventory"]!.AsArray())
        {
            var name = inventory!["object"]!.GetValue<string>();
            var records = inventory["records"]!.GetValue<long>();
            Assert.True(sources.TryGetValue(name, out var source), $"{name}: {records} rows in the audit, none in the report ({run.Reconciliation["sources"]})");
            var rows = source!["rows"]!.GetValue<long>();
            var fates = new[] { "created", "updated", "unchanged", "failed", "skipped", "conflicts" }.Sum(f => source[f]!.GetValue<long>());
            Assert.True(records == rows && rows == fates, $"{name}: audit {records}, report {rows}, fates {fates}: {source}");
        }

        // And no message is one of Odoo's own system notifications.
        Assert.DoesNotContain(run.Records("mail.message"), m => m["message_type"]?.GetValue<string>() == "notification");
    }

    private static JsonNode Single(IEnumerable<JsonNode> records, string field, string value) =>
        Assert.Single(records, r => r[field]?.ToString() == value);

    [Fact]
    public async Task ArkCase_HandWrittenExport_AccountsForEveryRow_FoldsContactMethods_LinksThroughAssociationsAndFoiaRequests()
    {
        var run = await MigrateAsync("arkcase", "arkcase-odoo", "ann@agency.example", "bob@agency.example");

        var partners = run.Records("res.partner").ToList();
        var records = Single(partners, "name", "Department of Records");
        var archive = Single(partners, "name", "Records Archive Unit");
        var jane = Single(partners, "name", "Jane Doe");
        var john = Single(partners, "name", "John Q Public");
        var alex = Single(partners, "name", "Alex Roe");

        // Contact methods and the default address fold into their person or organization.
        Assert.Equal("john.public@mail.example", john["email"]?.ToString());
        Assert.Equal("7 Elm St", john["street"]?.ToString());
        Assert.Equal("info@records.example", records["email"]?.ToString());
        Assert.Equal("100 Capitol Ave", records["street"]?.ToString());
        Assert.Contains("+1 217 555 0142", john["x_arkcase_contact_methods"]?.ToString(), StringComparison.Ordinal);

        // The primary association sets the person's company; the audit saw the contact methods' e-mails.
        Assert.Equal(archive["id"]!.ToString(), jane["parent_id"]?.ToString());
        Assert.Equal(records["id"]!.ToString(), alex["parent_id"]?.ToString());
        Assert.Null(john["parent_id"]);
        var findings = run.Audit["findings"]!.AsArray().ToDictionary(f => f!["kind"]!.GetValue<string>(), f => f!);
        Assert.Contains(findings["duplicate-email"]!["records"]!.AsArray(), r => r!["object"]!.GetValue<string>() == "contact_method");
        Assert.Contains(findings["bad-email"]!["records"]!.AsArray(), r => r!["value"]!.GetValue<string>() == "not-an-email");

        // FOIA requests (by the real class name and the short one) are leads with every fo_ value; what hangs off
        // them — parties, notes, tasks, files, events — found them.
        var leads = run.Records("crm.lead").ToList();
        var minutes = Single(leads, "x_foia_request_type", "New Request");
        Assert.Equal(25.5, minutes["x_foia_fee"]!.GetValue<double>());
        Single(leads, "x_foia_request_type", "Appeal");
        Assert.Equal("2023-04-03 21:00:00", Single(leads, "x_foia_request_type", "Appeal")["date_closed"]?.ToString());
        var onMinutes = run.Records("mail.message").Where(m => m["model"]?.ToString() == "crm.lead" && m["res_id"]?.ToString() == minutes["id"]!.ToString()).ToList();
        Assert.Contains(onMinutes, m => m["body"]!.ToString().Contains("Called the requester", StringComparison.Ordinal));
        Assert.Contains(onMinutes, m => m["body"]!.ToString().Contains("Initiator", StringComparison.Ordinal));
        Assert.Contains(run.Records("mail.activity"), a => a["res_id"]?.ToString() == minutes["id"]!.ToString());
        Assert.Contains(run.Records("calendar.event"), e => e["opportunity_id"]?.ToString() == minutes["id"]!.ToString());

        // Notes of this file are day-first (25/03/2023 proves it): 12/05/2023 is 12 May, 11:00 in New York.
        var dates = run.Audit["dateOrders"]!.AsArray();
        Assert.Contains(dates, d => d!["file"]!.GetValue<string>() == "acm_note.csv" && d["order"]!.GetValue<string>() == "dayFirst");
        Assert.Contains(run.Records("mail.message"), m => m["date"]?.ToString() == "2023-05-12 15:00:00");

        // The PDF declared text/plain is typed by its content and named after it; the unsafe path loads without a file.
        var attachments = run.Records("ir.attachment").ToList();
        var pdf = Single(attachments, "name", "minutes-2023.pdf");
        Assert.Equal("application/pdf", pdf["mimetype"]?.ToString());
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Exports", "arkcase", "files", "minutes-2023.pdf"))), pdf["datas"]?.ToString());
        var unsafePath = Single(attachments, "name", "passwords.txt");
        Assert.Null(unsafePath["datas"]);
        Assert.Contains(findings["unsafe-attachment-path"]!["records"]!.AsArray(), r => r!["sourceId"]!.GetValue<string>() == "1202");
        var warnings = run.Reconciliation["warnings"]!.AsArray();
        Assert.Contains(warnings, w => w!["kind"]!.GetValue<string>() == "file-retyped");
        Assert.Contains(warnings, w => w!["kind"]!.GetValue<string>() == "file-problem" && w["sourceId"]!.GetValue<string>() == "1202");
    }

    [Fact]
    public async Task CaseManager_HandWrittenExport_AccountsForEveryRow_CaseContactsAndLoggedCallsAsNotes_RepeatedIdLoadedOnce()
    {
        var run = await MigrateAsync("casemanager", "casemanager-odoo", "priya@lawfirm.example", "tom@lawfirm.example");

        var partners = run.Records("res.partner").ToList();
        Single(partners, "email", "dan.brown@mail.example");
        Assert.DoesNotContain(partners, p => p["email"]?.ToString() == "daniel.brown@mail.example");
        Assert.Contains(run.Reconciliation["sources"]!.AsArray(), s => s!["layoutObject"]!.GetValue<string>() == "contact" && s["skipped"]!.GetValue<long>() == 1);

        // A logged call is a comment with the note subtype, an e-mail an e-mail; every case contact is a note on its case.
        var note = run.Records("mail.message.subtype").Single(t => t["name"]?.ToString() == "Note")["id"]!.ToString();
        var messages = run.Records("mail.message").ToList();
        Assert.Equal(note, Single(messages, "subject", "Intake call")["subtype_id"]?.ToString());
        Assert.Equal("comment", Single(messages, "subject", "Intake call")["message_type"]?.ToString());
        Assert.Equal("email", Single(messages, "subject", "Documents requested")["message_type"]?.ToString());
        Assert.Equal(4, messages.Count(m => m["body"]?.ToString()?.Contains("Case contact:", StringComparison.Ordinal) == true));

        // The closed case keeps CaseManager's close date (28 February, midnight in Sydney), not the time of the load.
        Assert.Contains(run.Records("crm.lead"), l => l["date_closed"]?.ToString() == "2024-02-27 13:00:00");
        var contract = Single(run.Records("ir.attachment"), "name", "contract.pdf");
        Assert.Equal("application/pdf", contract["mimetype"]?.ToString());
    }

    [Fact]
    public async Task Oncourse_HandWrittenExport_AccountsForEveryRow_MergedStagesAndCompaniesFromOrganisations()
    {
        var run = await MigrateAsync("oncourse", "oncourse-odoo", "ann@acme.co.uk", "raj@acme.co.uk");

        var sources = run.Reconciliation["sources"]!.AsArray().ToDictionary(s => s!["layoutObject"]!.GetValue<string>(), s => s!);
        Assert.Equal(1, sources["pipeline_stage"]!["skipped"]!.GetValue<long>());
        Assert.Equal(2, sources["user"]!["skipped"]!.GetValue<long>());
        // Acme Ltd and ACME Limited are one company, computed from the contacts and counted apart from them.
        Assert.Equal(1, sources["contact"]!["derived"]!.GetValue<long>());
        Assert.Single(run.Records("res.partner"), p => p["is_company"]?.GetValue<bool>() == true && p["name"]?.ToString()?.StartsWith("Acme", StringComparison.OrdinalIgnoreCase) == true);
        Assert.Equal(3, run.Records("mail.message").Count(m => m["message_type"]?.ToString() == "comment"));
    }

    [Fact]
    public async Task Actimo_HandWrittenExport_AccountsForEveryRow_MessagesPerRecipient_MembershipsAndTrainingAsNotes()
    {
        var run = await MigrateAsync("actimo", "actimo-odoo", "mette@nordicretail.example", "lars@nordicretail.example");

        var findings = run.Audit["findings"]!.AsArray().Select(f => f!["kind"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain("duplicate-source-id", findings);
        var sources = run.Reconciliation["sources"]!.AsArray().ToDictionary(s => s!["layoutObject"]!.GetValue<string>(), s => s!);
        Assert.Equal(3, sources["message"]!["created"]!.GetValue<long>());
        Assert.Equal(1, sources["survey_response"]!["skipped"]!.GetValue<long>());
        Assert.Equal(4, sources["membership"]!["created"]!.GetValue<long>());
        Assert.Equal(2, sources["training_enrollment"]!["created"]!.GetValue<long>());
        var messages = run.Records("mail.message").ToList();
        Assert.Equal(2, messages.Count(m => m["body"]?.ToString()?.Contains("Q4 goals", StringComparison.Ordinal) == true));
        Assert.Contains(messages, m => m["body"]?.ToString()?.Contains("Customer service basics", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Run_OwnersWithoutADestinationUser_StopsBeforeWritingAnything_ListsThemAndSaysWhatToDo()
    {
        var exports = Path.Combine(_root, "arkcase");
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "Exports", "arkcase"), exports);
        _odoo = await OdooSandbox.StartAsync(new OdooSandboxOptions
        {
            Users = [new SandboxUser("admin", "admin", "admin@sandbox.example", "Administrator"), new SandboxUser("ann", "pw", "ann@agency.example", "Ann")],
        }, CancellationToken.None);
        var before = _odoo.Dump();
        var flit = new FlitProcess(_root, Environment);
        var target = $"odoo://admin@127.0.0.1:{_odoo.BaseAddress.Port}/sandbox";

        var (auditCode, audit) = await flit.RunAsync("audit", "-m", "owners", "--pair", "arkcase-odoo", "--exports", exports, "--target", target);
        var (code, output) = await flit.RunAsync("propose", "-m", "owners", "--pair", "arkcase-odoo", "--exports", exports);
        (code, output) = await flit.RunAsync("approve", "-m", "owners", "--spec", SpecHash().Match(output).Groups[1].Value, "--by", "dana@flitstack.io");
        Assert.True(code == 0, output);
        (code, output) = await flit.RunAsync("run", "-m", "owners", "--pair", "arkcase-odoo", "--exports", exports, "--mode", "full", "--target", target);
        var (fallbackCode, fallback) = await flit.RunAsync("run", "-m", "owners", "--pair", "arkcase-odoo", "--exports", exports, "--mode", "full", "--target", target, "--fallback-owner", "nobody@agency.example");

        Assert.Equal(0, auditCode);
        Assert.Contains("match no destination user", audit, StringComparison.Ordinal);
        Assert.True(code == 6, output);
        Assert.Contains("bob@agency.example", output, StringComparison.Ordinal);
        Assert.Contains("--fallback-owner", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.True(fallbackCode == 6, fallback);
        Assert.Contains("The fallback owner 'nobody@agency.example' is not a user", fallback, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", fallback, StringComparison.Ordinal);
        Assert.Equal(before, _odoo.Dump());
    }

    [GeneratedRegex(@"Spec to approve: ([0-9a-f]{16})")]
    private static partial Regex SpecHash();
}
