using CsvHelper;

namespace Flit.Cli.Tests;

/// <summary>A newer export of a generated Oncourse export, as a client sends it during the cutover window.</summary>
internal static class NewerExports
{
    /// <summary>A copy of the export with contacts changed (their job title), one removed (one no other row refers to)
    /// and two added.</summary>
    public static string Write(string exports, string newer, out List<(string Id, string Email, string Title)> changed, out (string Id, string Email) removed, out List<string> added)
    {
        foreach (var file in Directory.EnumerateFiles(exports, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(newer, Path.GetRelativePath(exports, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var path = Path.Combine(newer, "contacts.csv");
        var rows = new List<string[]>();
        using (var reader = CsvReader.Create(File.OpenRead(path), new CsvReaderOptions { HasHeader = false }, leaveOpen: false))
        {
            while (reader.Read())
            {
                rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
            }
        }

        var header = rows[0];
        int Column(string name) => Array.IndexOf(header, name);
        var others = string.Join('\n', Directory.EnumerateFiles(newer, "*.csv").Where(f => !f.EndsWith("contacts.csv", StringComparison.Ordinal)).Select(File.ReadAllText));
        var withEmail = rows.Skip(1).Where(r => r[Column("Email")].Contains('@', StringComparison.Ordinal) && rows.Count(o => o[Column("Email")] == r[Column("Email")]) == 1).ToList();
        var unreferenced = withEmail.First(r => !others.Contains(r[Column("Contact ID")], StringComparison.Ordinal));
        removed = (unreferenced[Column("Contact ID")], unreferenced[Column("Email")]);
        changed = [];
        foreach (var row in withEmail.Where(r => r != unreferenced).Take(3))
        {
            row[Column("Job Title")] = $"Head of cutover {row[Column("Contact ID")]}";
            changed.Add((row[Column("Contact ID")], row[Column("Email")], row[Column("Job Title")]));
        }

        rows.Remove(unreferenced);
        added = [];
        foreach (var n in new[] { 1, 2 })
        {
            var row = (string[])withEmail[^n].Clone();
            row[Column("Contact ID")] = $"CON9{n:00000}";
            row[Column("Email")] = $"new.contact{n}@cutover.example";
            rows.Add(row);
            added.Add(row[Column("Contact ID")]);
        }

        using var writer = CsvWriter.Create(File.Create(path), new CsvWriterOptions { NewLine = "\n", Injection = CsvInjection.None }, leaveOpen: false);
        foreach (var row in rows)
        {
            writer.WriteRecord(row);
        }

        return newer;
    }
}
