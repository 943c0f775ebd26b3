using System.Text;
using Flit.Samples;

namespace Flit.Cli.Tests;

/// <summary>
/// Issue 6, points 13 and 14, through the real command: every bad input gets its exit code (2 usage, 5 bad input)
/// and a message naming the file (and line and column where they apply), never a stack trace.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private const int Usage = 2;
    private const int BadInput = 5;

    private readonly string _root = Directory.CreateTempSubdirectory("flit-bad-input-").FullName;

    static BadInputTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private FlitProcess Flit() => new(Directory.CreateDirectory(Path.Combine(_root, "work-" + Guid.NewGuid().ToString("N"))).FullName);

    private string Exports(params (string Name, byte[] Bytes)[] files)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "exports-" + Guid.NewGuid().ToString("N"))).FullName;
        foreach (var (name, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        return folder;
    }

    private static (string, byte[]) Utf8(string name, string text) => (name, Encoding.UTF8.GetBytes(text));

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    private static async Task<string> ExpectAsync(int exitCode, Task<(int ExitCode, string Output)> run, params string[] expected)
    {
        var (code, output) = await run;
        Assert.True(code == exitCode, $"exit {code}, expected {exitCode}:\n{output}");
        foreach (var text in expected)
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }

        AssertNoStackTrace(output);
        return output;
    }

    private static readonly string Contacts = "Contact ID,First Name,Last Name,Email\n" + "C1,Ada,Lovelace,ada@acme.co.uk\n" + "C2,Alan,Turing,alan@acme.co.uk\n";

    [Theory]
    [InlineData("audit")]
    [InlineData("propose")]
    [InlineData("run")]
    public async Task Command_UnknownPair_ExitsUsageListingThePairs(string command)
    {
        var exports = Exports(Utf8("contacts.csv", Contacts));

        await ExpectAsync(Usage, Flit().RunAsync(command, "-m", "m1", "--pair", "oncourse-salesforce", "--exports", exports),
            "Unknown pair 'oncourse-salesforce'. Pairs: arkcase-odoo, casemanager-odoo, oncourse-odoo, actimo-odoo, actimo-dynamics.");
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("m 1")]
    [InlineData("mïgration")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234567890")]
    public async Task Audit_MigrationIdOutsideTheDocumentedCharacters_ExitsUsage(string id)
    {
        var exports = Exports(Utf8("contacts.csv", Contacts));

        await ExpectAsync(Usage, Flit().RunAsync("audit", "-m", id, "--pair", "oncourse-odoo", "--exports", exports),
            $"'{id}' is not a usable migration id: use letters a-z and A-Z, digits, '-' and '_', at most 64 characters.");
    }

    [Fact]
    public async Task Status_MigrationIdLeavingTheWorkspace_ExitsUsage() =>
        await ExpectAsync(Usage, Flit().RunAsync("status", "-m", "../../etc"), "'../../etc' is not a usable migration id");

    [Fact]
    public async Task Run_UnknownEncoding_ExitsUsageListingExamples()
    {
        var exports = Exports(Utf8("contacts.csv", Contacts));

        await ExpectAsync(Usage, Flit().RunAsync("run", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports, "--encoding", "klingon"),
            "Unknown encoding 'klingon'.", "shift_jis", "euc-kr", "iso-8859-2");
    }

    [Fact]
    public async Task Audit_EmptyExportFolder_ExitsBadInput()
    {
        var exports = Exports();

        await ExpectAsync(BadInput, Flit().RunAsync("audit", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports),
            $"The export folder {exports} is empty. The pair oncourse-odoo expects Oncourse CRM export files: users.csv, contacts.csv");
    }

    [Fact]
    public async Task Audit_ArkCaseExportAsOncourse_ExitsBadInputNamingWhatItLooksLike()
    {
        var exports = Path.Combine(_root, "arkcase");
        SampleGenerator.Generate("arkcase", exports, 30, 1, SampleOptions.Clean with { WriteAttachments = false });

        await ExpectAsync(BadInput, Flit().RunAsync("audit", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports),
            $"The export folder {exports} holds no file of the Oncourse CRM export that the pair oncourse-odoo reads. Found: acm_case_file.csv, ",
            "This looks like an ArkCase export (acm_case_file.csv, ",
            "migrate it with the pair arkcase-odoo.",
            "The pair oncourse-odoo expects users.csv, contacts.csv, leads.csv");
    }

    [Fact]
    public async Task Audit_MissingKeyColumn_ExitsBadInputNamingFileAndAcceptedHeaders()
    {
        var exports = Exports(Utf8("contacts.csv", "First Name,Last Name\nAda,Lovelace\n"));

        await ExpectAsync(BadInput, Flit().RunAsync("audit", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports),
            "contacts.csv, line 1: the key column of 'contact' is missing. Expected a header named one of 'Contact ID', 'ID'");
    }

    [Fact]
    public async Task Run_MissingKeyColumnMetByAnActivityOfTheWorkflow_ExitsBadInput()
    {
        var exports = Exports(Utf8("contacts.csv", "First Name,Last Name\nAda,Lovelace\n"));

        await ExpectAsync(BadInput, Flit().RunAsync("run", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports, "--target", "rehearsal"),
            "contacts.csv, line 1: the key column of 'contact' is missing.");
    }

    [Fact]
    public async Task Audit_MissingRequiredColumn_ReportedWithFileAndColumn()
    {
        var flit = Flit();
        var exports = Exports(Utf8("contacts.csv", "Contact ID,Last Name,Email\nC1,Lovelace,ada@acme.co.uk\n"));

        await ExpectAsync(0, flit.RunAsync("audit", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports), "Required columns missing from a file");

        var audit = await File.ReadAllTextAsync(Path.Combine(flit.WorkingDirectory, ".flit", "migrations", "m1", "staging", "runs", "m1", "audit", "audit.md"));
        Assert.Contains("| (file) |  | contacts.csv:1 | The required column 'First Name' of 'contact' is missing", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_CorruptXlsx_ExitsBadInputNamingTheFile()
    {
        var exports = Exports(("Contacts.xlsx", [.. "PK\u0003\u0004"u8, .. Enumerable.Range(0, 400).Select(i => (byte)(i * 7))]));

        await ExpectAsync(BadInput, Flit().RunAsync("audit", "-m", "m1", "--pair", "casemanager-odoo", "--exports", exports),
            "Contacts.xlsx: cannot be read: the workbook is damaged or not a workbook");
    }

    [Fact]
    public async Task Propose_CorruptJson_ExitsBadInputWithLineColumnAndRecordsRead()
    {
        var exports = Exports(Utf8("tasks.json", "[\n{\"taskId\": 900, \"title\": \"Review\"},\n{\"taskId\": 901, \"title\": oops}\n]"));

        await ExpectAsync(BadInput, Flit().RunAsync("propose", "-m", "m1", "--pair", "arkcase-odoo", "--exports", exports),
            "tasks.json, line 3, column 26: malformed JSON after 1 record: 'o' is an invalid start of a value.");
    }

    [Fact]
    public async Task Audit_ShiftJisExport_ExitsBadInputThenReadsWithEncoding()
    {
        var sjis = Encoding.GetEncoding("shift_jis");
        var exports = Exports(("contacts.csv", sjis.GetBytes("Contact ID,First Name,Last Name\nC1,太郎,山田\nC2,花子,佐藤\n")));

        await ExpectAsync(BadInput, Flit().RunAsync("audit", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports),
            "contacts.csv, line 2, column ", "It looks like a double-byte encoding: it decodes as shift_jis", "--encoding NAME");

        await ExpectAsync(0, Flit().RunAsync("audit", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports, "--encoding", "Shift_JIS"), "2 records");
    }

    [Fact]
    public async Task Audit_ControlCharacters_ExitsBadInputWithLineAndColumn()
    {
        var exports = Exports(Utf8("contacts.csv", "Contact ID,First Name,Last Name\nC1,Ada\u0002,Lovelace\n"));

        await ExpectAsync(BadInput, Flit().RunAsync("audit", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports),
            "contacts.csv, line 2, column 7: read as UTF-8 (as it is valid UTF-8), the file holds the control character U+0002");
    }

    [Fact]
    public async Task Audit_Utf32WithoutBom_ReadAsText()
    {
        var flit = Flit();
        var exports = Exports(("contacts.csv", new UTF32Encoding(bigEndian: false, byteOrderMark: false).GetBytes(Contacts)));

        await ExpectAsync(0, flit.RunAsync("audit", "-m", "m1", "--pair", "oncourse-odoo", "--exports", exports), "2 records");

        var audit = await File.ReadAllTextAsync(Path.Combine(flit.WorkingDirectory, ".flit", "migrations", "m1", "staging", "runs", "m1", "audit", "audit.json"));
        Assert.DoesNotContain("\\u0000", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("unreadable-line", audit, StringComparison.Ordinal);
    }
}
