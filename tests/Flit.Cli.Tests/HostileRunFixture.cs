using Flit.Samples;

namespace Flit.Cli.Tests;

/// <summary>
/// A real run through <c>flit</c> of an Oncourse export whose names, notes and dates hold script, event-handler,
/// <c>javascript:</c> and attribute-breaking payloads; each payload would change the page's title or call the
/// <see cref="Watcher"/> if it ran. The payloads reach the report through the sample diff (the first contact's
/// names), a warning (its created date) and a failure (the second note's date).
/// </summary>
public sealed class HostileRunFixture : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("flit-hostile-").FullName;

    internal LoopbackWatcher Watcher { get; } = new();

    public string Script => $"<script>document.title='pwned';fetch('{Watcher.BaseAddress}/script')</script>";

    public string Image => $"<img src=\"{Watcher.BaseAddress}/img\" onerror=\"document.title='pwned'\">";

    public const string Link = "javascript:alert(1)";

    public string AttributeBreak => $"\"><svg onload=\"fetch('{Watcher.BaseAddress}/svg')\">";

    public IReadOnlyList<string> Payloads => [Script, Image, Link, AttributeBreak];

    /// <summary>The run's report.html.</summary>
    public string ReportHtml => Path.Combine(Root, ".flit", "migrations", "hostile", "staging", "runs", "hostile", "report", "report.html");

    public async Task InitializeAsync()
    {
        var exports = Path.Combine(Root, "exports");
        var manifest = SampleGenerator.Generate("oncourse", exports, 60, 11, SampleOptions.Default with { WriteAttachments = false });
        await File.WriteAllLinesAsync(Path.Combine(exports, "users.txt"), manifest.DestinationUsers);
        await ReplaceAsync(Path.Combine(exports, "contacts.csv"), 1, new() { ["First Name"] = Script, ["Last Name"] = Image, ["Job Title"] = Link, ["Created Date"] = AttributeBreak });
        await ReplaceAsync(Path.Combine(exports, "notes.csv"), 1, new() { ["Body"] = $"{Script} {Image} {Link}" });
        await ReplaceAsync(Path.Combine(exports, "notes.csv"), 2, new() { ["Date"] = Image });

        var flit = new FlitProcess(Root);
        await flit.ProposeAndApproveAsync("hostile", "oncourse-odoo", exports);
        var (code, output) = await flit.RunAsync("run", "-m", "hostile", "--pair", "oncourse-odoo", "--exports", exports, "--mode", "full", "--target", "rehearsal",
            "--destination-users", Path.Combine(exports, "users.txt"));
        Assert.True(code is 0 or 4, output);
        Assert.True(File.Exists(ReportHtml), output);
    }

    public async Task DisposeAsync()
    {
        await Watcher.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Sets columns of one data row (1 = the first after the header), writing every field quoted.</summary>
    private static async Task ReplaceAsync(string csv, int row, Dictionary<string, string> values)
    {
        var rows = Rows(await File.ReadAllTextAsync(csv));
        foreach (var (column, value) in values)
        {
            var index = Array.IndexOf(rows[0], column);
            Assert.True(index >= 0, $"{csv} has no column {column}");
            rows[row][index] = value;
        }

        await File.WriteAllLinesAsync(csv, rows.Select(r => string.Join(',', r.Select(f => "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))));
    }

    /// <summary>The rows of a CSV text (RFC 4180: quoted fields may hold commas, quotes and line breaks).</summary>
    private static List<string[]> Rows(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '"' when quoted && i + 1 < text.Length && text[i + 1] == '"':
                    field.Append('"');
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case ',' when !quoted:
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when !quoted:
                    break;
                case '\n' when !quoted:
                    fields.Add(field.ToString());
                    field.Clear();
                    rows.Add([.. fields]);
                    fields.Clear();
                    break;
                default:
                    field.Append(text[i]);
                    break;
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add([.. fields]);
        }

        Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));
        return rows;
    }
}
