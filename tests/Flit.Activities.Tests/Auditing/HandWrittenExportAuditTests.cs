using System.Text;
using Flit.Activities.Auditing;
using Flit.Activities.Sources;
using Flit.Core.Audit;
using Flit.Core.Workflow;
using Flit.Sources.Layouts;

namespace Flit.Activities.Tests.Auditing;

/// <summary>
/// Exports written by hand (not by the generator), in the documented layouts and with real-world quirks: the audit
/// counts and flags exactly what is in them, with file, line and column.
/// </summary>
public sealed class HandWrittenExportAuditTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("flit-handwritten-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Audits the files written, staged in a store whose streams do not seek and that has no local path.</summary>
    private async Task<AuditReport> AuditAsync(string pair)
    {
        var store = new InMemoryStagingStore();
        await StagedFolder.CopyAsync(_root, store, "m");

        var layout = SourceLayouts.Get(pair.Split('-')[0]);
        var activity = new AuditActivity(store, new StagedExportFiles(store, _ => layout));
        return await activity.AuditAsync(new MigrationRequest("m", "t", pair, "drop", RunMode.Sample), null, CancellationToken.None);
    }

    private void Write(string file, string text, Encoding encoding)
    {
        var path = Path.Combine(_root, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [.. encoding.GetPreamble(), .. encoding.GetBytes(text)]);
    }

    private static Finding Single(AuditReport report, string kind) =>
        report.Findings.SingleOrDefault(f => f.Kind == kind)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} finding; found: {Describe(report)}");

    private static string Describe(AuditReport report) =>
        string.Join("; ", report.Findings.Select(f => $"{f.Kind}: {string.Join(",", f.Records.Select(r => $"{r.Object}/{r.SourceId}@{r.File}:{r.Line}:{r.Column}={r.Value}"))}"));

    [Fact]
    public async Task Audit_OncourseSemicolonWindows1252WithMultiLineNotes_CountsAndLocatesEveryProblem()
    {
        var cp1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
        Write("users.csv", "Name;Email\r\nAnn Lee;ann@acme.co.uk\r\nBob Ray;\r\n", cp1252);
        // Header variants (case, spacing), a duplicate e-mail in another case, a missing one, an impossible date,
        // an owner with no e-mail, an owner nobody knows, and "Müller" in Windows-1252.
        Write("contacts.csv",
            "contact id;FIRST NAME;Last name;organisation;E-mail;Owner;Created date\r\n" +
            "C1;Ada;Lovelace;Acme Ltd;ada@acme.co.uk;Ann Lee;14/03/2023 09:15\r\n" +
            "C2;Jo;Müller;ACME Limited;ADA@acme.co.uk ;Ann Lee;31/02/2023 10:00\r\n" +
            "C3;Sam;Ng;;;Bob Ray;01/04/2023\r\n" +
            "C4;Kim;Park;Initech;kim@initech.io;Zed Unknown;02/04/2023\r\n", cp1252);
        Write("notes.csv",
            "Note ID,Related To,Related Type,Date,Author,Body\n" +
            "N1,D9,Deal,15/03/2023 10:00,Ann Lee,\"Call went well,\nsecond line <script>alert(1)</script>\"\n" +
            "N2,C1,Contact,16/03/2023 11:00,Ann Lee,Plain note\n", new UTF8Encoding(false));

        var report = await AuditAsync("oncourse-odoo");

        var duplicate = Single(report, FindingKinds.DuplicateEmail);
        Assert.Equal(["C1", "C2"], duplicate.Records.Select(r => r.SourceId));
        Assert.Equal(("contacts.csv", 2L, 5), (duplicate.Records[0].File, duplicate.Records[0].Line, duplicate.Records[0].Column));
        Assert.Equal("C3", Assert.Single(Single(report, FindingKinds.MissingEmail).Records, r => r.Object == "contact").SourceId);
        var badDate = Assert.Single(Single(report, FindingKinds.BadDate).Records);
        Assert.Equal(("C2", 3L, 7, "31/02/2023 10:00"), (badDate.SourceId, badDate.Line, badDate.Column, badDate.Value));
        // Bob Ray is a user without an e-mail; Zed Unknown is no user at all (also a dangling reference).
        Assert.True(Single(report, FindingKinds.OwnerWithoutEmail).Records.Select(r => r.SourceId).SequenceEqual(["C3", "C4"]), Describe(report));
        var dangling = Single(report, FindingKinds.DanglingReference).Records.Select(r => (r.SourceId, r.Value)).ToList();
        Assert.True(dangling.SequenceEqual([("C4", "user Zed Unknown"), ("N1", "deal D9")]), Describe(report));
        Assert.Equal(4, report.Inventory.Single(i => i.Object == "contact").Records);
    }

    [Fact]
    public async Task Audit_ArkCaseWithJsonTasksAndMissingFiles_FlagsAttachmentsRequiredValuesAndParents()
    {
        var utf8 = new UTF8Encoding(true);
        Write("acm_user.csv", "cm_user_id,cm_user_full_name,cm_user_mail\nann-acm,Ann Lee,ann@agency.gov\n", utf8);
        Write("acm_organization.csv", "cm_organization_id,cm_organization_value\n100,Dept of Records\n101,\n", utf8);
        Write("acm_case_file.csv", "cm_case_id,cm_case_number,cm_case_title,cm_case_created,cm_case_assignee\n500,20240101_1,Records request,2024-01-01 09:00:00,ann-acm\n501,20240101_2,Appeal,2024-01-02 09:00:00,nobody-acm\n", utf8);
        Write("tasks.json", """
            [
              {"taskId": 900, "title": "Review", "dueDate": "2024-02-01T00:00:00Z", "assignee": "ann-acm", "createDate": "2024-01-01T09:00:00Z", "parentObjectId": 500, "parentObjectType": "CASE_FILE"},
              {"taskId": 901, "title": "Orphan", "dueDate": "2024-02-01T00:00:00Z", "assignee": "ann-acm", "createDate": "2024-01-01T09:00:00Z", "parentObjectId": 777, "parentObjectType": "CASE_FILE"}
            ]
            """, new UTF8Encoding(false));
        Write("acm_file.csv", "cm_file_id,cm_file_name,cm_container_id,cm_parent_object_id,cm_parent_object_type,cm_file_path\n1,a.pdf,1,500,CASE_FILE,files/a.pdf\n2,b.pdf,1,500,CASE_FILE,files/missing.pdf\n3,c.txt,1,500,CASE_FILE,files/empty.txt\n", utf8);
        Write("files/a.pdf", "%PDF-1.4", new UTF8Encoding(false));
        Write("files/empty.txt", string.Empty, new UTF8Encoding(false));

        var report = await AuditAsync("arkcase-odoo");

        Assert.Equal("101", Assert.Single(Single(report, FindingKinds.MissingRequired).Records).SourceId);
        Assert.Equal("files/missing.pdf", Assert.Single(Single(report, FindingKinds.MissingAttachment).Records).Value);
        Assert.Equal("files/empty.txt", Assert.Single(Single(report, FindingKinds.EmptyAttachment).Records).Value);
        var dangling = Single(report, FindingKinds.DanglingReference).Records.Select(r => (r.SourceId, r.File, r.Value)).ToList();
        Assert.True(dangling.SequenceEqual([("501", "acm_case_file.csv", "user nobody-acm"), ("901", "tasks.json", "case_file 777")]), Describe(report));
        Assert.Equal("501", Assert.Single(Single(report, FindingKinds.OwnerWithoutEmail).Records).SourceId);
    }

    [Fact]
    public async Task Audit_FileWithoutARequiredColumn_BlockingFindingNamesFileAndColumn()
    {
        Write("contacts.csv", "Contact ID,Last Name,Email\nC1,Lovelace,ada@acme.co.uk\nC2,Turing,alan@acme.co.uk\n", new UTF8Encoding(false));

        var report = await AuditAsync("oncourse-odoo");

        var finding = Single(report, FindingKinds.MissingRequiredColumn);
        Assert.Equal(Severity.Blocking, finding.Severity);
        var record = Assert.Single(finding.Records);
        Assert.Equal(("contacts.csv", 1L), (record.File, record.Line));
        Assert.Contains("The required column 'First Name' of 'contact' is missing", record.Value, StringComparison.Ordinal);
        Assert.Equal(2, report.Inventory.Single(i => i.Object == "contact").Records);
    }
}
