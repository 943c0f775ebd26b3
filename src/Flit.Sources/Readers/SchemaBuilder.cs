using System.Globalization;
using Flit.Core.Records;
using Flit.Core.Sources;

namespace Flit.Sources.Readers;

/// <summary>The schema of one file plus where its key columns sit.</summary>
/// <param name="Schema">Canonical columns, shared by every record of the file.</param>
/// <param name="KeyIndex">Schema index of the layout's key column.</param>
/// <param name="RowKeyIndexes">For rows that repeat the key by design: schema indexes of the columns that complete it
/// (-1 where the file lacks one).</param>
internal sealed record FileSchema(RecordSchema Schema, int KeyIndex, int[]? RowKeyIndexes = null);

/// <summary>Turns the headers found in a file into the canonical schema of its object.</summary>
internal static class SchemaBuilder
{
    /// <summary>Matches headers to the layout; reports duplicates; throws when the key column is missing.</summary>
    /// <param name="headers">Headers as found, each with its 1-based column number in the file.</param>
    /// <param name="layout">The object the file holds.</param>
    /// <param name="file">File name for problems and records.</param>
    /// <param name="headerLine">Line (or row) of the header.</param>
    /// <param name="problems">Receives duplicate-header problems.</param>
    public static FileSchema Build(
        IReadOnlyList<(string Header, int ColumnNumber)> headers,
        ObjectLayout layout,
        string file,
        long headerLine,
        IReadProblemSink problems)
    {
        var lookup = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in layout.Columns)
        {
            foreach (var name in column.AllNames)
            {
                // First documented column wins when two normalise alike: the layout's order is its priority.
                lookup.TryAdd(HeaderNames.Normalize(name), column.Name);
            }
        }

        var names = new List<string>(headers.Count);
        var numbers = new List<int>(headers.Count);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (header, number) in headers)
        {
            var trimmed = header.Trim();
            var name = trimmed.Length == 0
                ? string.Create(CultureInfo.InvariantCulture, $"Column {number}")
                : lookup.GetValueOrDefault(HeaderNames.Normalize(trimmed), trimmed);
            if (seen.TryGetValue(name, out var firstNumber))
            {
                var suffix = 2;
                string unique;
                do
                {
                    unique = string.Create(CultureInfo.InvariantCulture, $"{name} ({suffix++})");
                }
                while (seen.ContainsKey(unique));

                problems.Report(new ReadProblem(file, headerLine, number, string.Create(
                    CultureInfo.InvariantCulture,
                    $"Duplicate header '{trimmed}': column {firstNumber} is already '{name}'; this column is kept as '{unique}'. Expected each column once.")));
                name = unique;
            }

            seen.Add(name, number);
            names.Add(name);
            numbers.Add(number);
        }

        var schema = new RecordSchema(layout.Name, file, names, numbers);
        var keyIndex = schema.IndexOf(layout.KeyColumn);
        if (keyIndex < 0)
        {
            // Without the key no record has a source id: nothing of the file can be migrated or referenced.
            throw new ExportLayoutException(file, headerLine, 0, string.Create(
                CultureInfo.InvariantCulture,
                $"{ExportInputException.Where(file, headerLine, 0)}: the key column of '{layout.Name}' is missing. Expected a header named one of {HeaderNames.Quote(HeaderNames.AcceptedKeyNames(layout))} (case, spacing and punctuation are ignored); found {HeaderNames.Quote(headers.Select(h => h.Header.Trim()))}."));
        }

        // A missing required column is the client's to fix or to accept (the audit blocks on it), not a reason to
        // refuse the rest of the file.
        foreach (var column in layout.Columns.Where(c => c.Required && c.Name != layout.KeyColumn && schema.IndexOf(c.Name) < 0))
        {
            problems.Report(new ReadProblem(file, headerLine, 0, string.Create(
                CultureInfo.InvariantCulture,
                $"The required column '{column.Name}' of '{layout.Name}' is missing, so no record of the file has it. Expected a header named one of {HeaderNames.Quote(column.AllNames)}."))
            {
                Kind = ReadProblemKind.MissingRequiredColumn,
            });
        }

        return new FileSchema(schema, keyIndex, layout.RowKeyColumns is { Count: > 0 } parts ? [.. parts.Select(schema.IndexOf)] : null);
    }
}
