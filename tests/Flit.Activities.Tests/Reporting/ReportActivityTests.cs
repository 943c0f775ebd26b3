using System.Text;
using System.Text.Json.Nodes;
using Flit.Activities.Loading;
using Flit.Activities.Reporting;
using Flit.Core.Records;
using Flit.Core.Workflow;

namespace Flit.Activities.Tests.Reporting;

public sealed class ReportActivityTests
{
    private const string Migration = "m-1";
    private static readonly ActivityInput Input = new(new MigrationRequest(Migration, "acme", "oncourse-odoo", "drop", RunMode.Sample), "h");

    private readonly InMemoryStagingStore _store = new();

    /// <summary>A run of five notes: two failed on the date, one skipped (an outcome file from before kinds), two
    /// loaded, one of them with a warning whose message holds a comma and quotes.</summary>
    private async Task<ReportResult> RunAsync()
    {
        var warning = new RecordWarning("note", "N4", "notes.csv", 5, IssueKinds.AuthorNotAUser, "author_id",
            "note 'N4' (notes.csv, line 5): author_id: the author \"Smith, Ann\" is no user of the destination; left empty.");
        var outcome = new BatchOutcomeFile("4-note-000-0000", "note", "mail.message", 4, false,
        [
            new("N1", "notes.csv", 2, null, RecordFate.Failed, null, "notes.csv, line 2, column 4: date: '31/02/2024' is not a real date", false, IssueKinds.RequiredValue, "date"),
            new("N2", "notes.csv", 3, null, RecordFate.Failed, null, "notes.csv, line 3, column 4: date: '30/02/2023' is not a real date", false, IssueKinds.RequiredValue, "date"),
            new("N3", "notes.csv", 4, null, RecordFate.Skipped, null, "folded into N1", false),
            new("N4", "notes.csv", 5, "x4", RecordFate.Created, "14", null, false),
            new("N5", "notes.csv", 6, "x5", RecordFate.Created, "15", null, false),
        ], [warning]);
        await _store.WriteJsonAsync(RunPaths.Outcome(Migration, Migration, outcome.BatchId), outcome, CancellationToken.None);
        var reconciliation = new Reconciliation(Migration, "h", new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
            [new ObjectCounts("note", "mail.message", 5, 2, 0, 2, 1)],
            [new PresenceCheck("note", "mail.message", 2, 2, [])],
            [new FieldDifference("note", "N4", "notes.csv", 5, "x4", "body", "Called", "Called", true)],
            [warning]);
        await _store.WriteJsonAsync(RunPaths.Report(Migration, "reconciliation.json"), reconciliation, CancellationToken.None);
        return await new ReportActivity(_store).RunAsync(Input, CancellationToken.None);
    }

    private async Task<string> ReadAsync(string path)
    {
        await using var stream = await _store.OpenReadAsync(path, CancellationToken.None);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task RunAsync_FailuresSkipsAndWarnings_JsonKeepsItsFieldsAndAddsTheGroups()
    {
        var result = await RunAsync();

        var json = JsonNode.Parse(await ReadAsync(result.JsonPath))!.AsObject();
        Assert.Equal(
            ["migrationId", "pair", "mode", "specHash", "at", "objects", "presence", "notLoaded", "diff", "warnings", "notLoadedGroups", "warningGroups", "sources", "notLoadedCount", "warningCount", "mismatches"],
            json.Select(p => p.Key));
        Assert.Equal((3, 1), (json["notLoadedCount"]!.GetValue<int>(), json["warningCount"]!.GetValue<int>()));
        Assert.Equal(3, json["notLoaded"]!.AsArray().Count);
        Assert.Equal("date", json["notLoaded"]![0]!["field"]!.GetValue<string>());
        var groups = json["notLoadedGroups"]!.AsArray();
        Assert.Equal(2, groups.Count);
        Assert.Equal(("failed", "required-value", "date", 2), (groups[0]!["fate"]!.GetValue<string>(), groups[0]!["kind"]!.GetValue<string>(), groups[0]!["field"]!.GetValue<string>(), groups[0]!["count"]!.GetValue<int>()));
        Assert.Equal("date: '…' is not a real date", groups[0]!["pattern"]!.GetValue<string>());
        Assert.Equal(("skipped", IssueKinds.SkippedByRule), (groups[1]!["fate"]!.GetValue<string>(), groups[1]!["kind"]!.GetValue<string>()));
        Assert.Equal("author-not-a-user", Assert.Single(json["warningGroups"]!.AsArray())!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_Csv_HasOneRowPerRecordNotLoadedAndPerWarningWithFateKindAndField()
    {
        var result = await RunAsync();

        var lines = (await ReadAsync(result.CsvPath)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("object,source_id,file,line,fate,reason,kind,field", lines[0]);
        Assert.Equal(
        [
            "note,N1,notes.csv,2,failed,\"notes.csv, line 2, column 4: date: '31/02/2024' is not a real date\",required-value,date",
            "note,N2,notes.csv,3,failed,\"notes.csv, line 3, column 4: date: '30/02/2023' is not a real date\",required-value,date",
            "note,N3,notes.csv,4,skipped,folded into N1,,",
            "note,N4,notes.csv,5,warning,\"note 'N4' (notes.csv, line 5): author_id: the author \"\"Smith, Ann\"\" is no user of the destination; left empty.\",author-not-a-user,author_id",
        ], lines[1..]);
    }

    [Fact]
    public async Task RunAsync_MoreFailuresThanTheJsonLists_ListsTheFirstByLineCountsAllAndTheCsvHoldsEveryOne()
    {
        // Three batches whose rows the partition spread out of line order, 2,400 failures in all.
        var total = 0;
        foreach (var part in new[] { 2, 0, 1 })
        {
            var records = Enumerable.Range(0, 800).Select(i => new RecordOutcome($"N{(i * 3) + part}", "notes.csv", (i * 3) + part + 2, null, RecordFate.Failed, null, "body: required", false, IssueKinds.RequiredValue, "body")).ToList();
            total += records.Count;
            var batch = new BatchOutcomeFile($"4-note-00{part}-0000", "note", "mail.message", 4, false, records, []);
            await _store.WriteJsonAsync(RunPaths.Outcome(Migration, Migration, batch.BatchId), batch, CancellationToken.None);
        }

        var reconciliation = new Reconciliation(Migration, "h", new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), [new ObjectCounts("note", "mail.message", total, 0, 0, total, 0)], [], [], []);
        await _store.WriteJsonAsync(RunPaths.Report(Migration, "reconciliation.json"), reconciliation, CancellationToken.None);

        var result = await new ReportActivity(_store).RunAsync(Input, CancellationToken.None);

        var report = await RunReport.ReadAsync(_store, result.JsonPath, CancellationToken.None);
        Assert.Equal(Enumerable.Range(2, 1000).Select(l => (long)l), report.NotLoaded.Select(n => n.Line));
        Assert.Equal(total, report.NotLoadedTotal);
        Assert.Equal(total, Assert.Single(report.NotLoadedGroups).Count);
        Assert.Equal(total + 1, (await ReadAsync(result.CsvPath)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task RunAsync_ReadableReport_IsTheHtmlPageAndNoMarkdownIsWritten()
    {
        var result = await RunAsync();

        Assert.Equal(RunPaths.Report(Migration, "html"), result.ReadablePath);
        Assert.StartsWith("<!DOCTYPE html>", await ReadAsync(result.ReadablePath), StringComparison.Ordinal);
        Assert.DoesNotContain(RunPaths.Report(Migration, "md"), _store.Paths);
    }

    [Fact]
    public async Task ReadAsync_ReportWrittenBeforeReportsHadGroups_GroupsItsLists()
    {
        const string before = """
            {"migrationId":"m-1","pair":"oncourse-odoo","mode":"SAMPLE","specHash":"h","at":"2026-11-01T10:00:00+00:00",
             "objects":[{"sourceObject":"note","targetModel":"mail.message","source":3,"created":1,"updated":0,"failed":2,"skipped":0}],
             "presence":[],"diff":[],
             "notLoaded":[{"sourceObject":"note","sourceId":"N1","file":"notes.csv","line":2,"fate":"failed","reason":"notes.csv, line 2: date: 'x' is not a date"},
                          {"sourceObject":"note","sourceId":"N2","file":"notes.csv","line":3,"fate":"failed","reason":"notes.csv, line 3: date: 'y' is not a date"}],
             "warnings":[{"sourceObject":"note","sourceId":"N3","file":"notes.csv","line":4,"message":"author left empty"}]}
            """;
        await _store.WriteTextAsync("old/report.json", before, CancellationToken.None);

        var report = await RunReport.ReadAsync(_store, "old/report.json", CancellationToken.None);

        var failed = Assert.Single(report.NotLoadedGroups);
        Assert.Equal((IssueFates.Failed, "unclassified", "date: '…' is not a date", 2L), (failed.Fate, failed.Kind, failed.Pattern, failed.Count));
        Assert.Equal("unclassified", Assert.Single(report.WarningGroups).Kind);
    }
}
