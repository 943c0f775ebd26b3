using System.Text;
using Flit.Sources.Readers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Flit.Sources.Tests.Readers;

public sealed class CsvRoundTripProperties
{
    private static readonly Gen<string> Field =
        Gen.Elements('a', 'Z', '7', 'é', '李', ' ', ',', ';', '\t', '"', '\n', '\r').ArrayOf().Select(c => new string(c));

    private static readonly Gen<(char Delimiter, string Newline, string[][] Rows)> Files =
        from delimiter in Gen.Elements(',', ';', '\t')
        from newline in Gen.Elements("\n", "\r\n")
        from rows in Field.ArrayOf(3).ArrayOf()
        select (delimiter, newline, rows);

    [Property(MaxTest = 200)]
    public Property Read_Rfc4180QuotedFields_ReadBackIdentical() => Prop.ForAll(Files.ToArbitrary(), async file =>
    {
        var (delimiter, newline, rows) = file;
        var text = new StringBuilder(string.Join(delimiter, "Person ID", "Notes", "Email", "Extra")).Append(newline);
        for (var i = 0; i < rows.Length; i++)
        {
            text.Append("id").Append(i);
            foreach (var field in rows[i])
            {
                text.Append(delimiter).Append(Quote(field, delimiter));
            }

            text.Append(newline);
        }

        using var folder = new TempFolder();
        var path = folder.WriteUtf8("people.csv", text.ToString());
        var problems = new ReadProblemCollector();

        var records = await ExportReader.ReadAsync(path, TestLayouts.Person(), problems).ToListAsync();

        var expectedLine = 2L;
        var linesOk = true;
        for (var i = 0; i < records.Count; i++)
        {
            linesOk &= records[i].Location.Line == expectedLine;
            expectedLine += 1 + rows[i].Sum(LineBreaks);
        }

        return problems.Problems.Count == 0
            && records.Count == rows.Length
            && linesOk
            && records.Select((r, i) => r.SourceId == "id" + i
                && r["Notes"] == NullIfEmpty(rows[i][0])
                && r["Email"] == NullIfEmpty(rows[i][1])
                && r["Extra"] == NullIfEmpty(rows[i][2])).All(ok => ok);
    });

    private static string Quote(string field, char delimiter) =>
        field.AsSpan().IndexOfAny(['"', '\r', '\n', delimiter]) >= 0 || field.Length == 0 || field.Trim().Length == 0
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>CR, LF and CR LF each end one line.</summary>
    private static int LineBreaks(string value) =>
        value.Replace("\r\n", "\n", StringComparison.Ordinal).Count(c => c is '\r' or '\n');
}
