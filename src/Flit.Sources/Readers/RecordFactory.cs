using System.Globalization;
using Flit.Core.Records;
using Flit.Core.Sources;

namespace Flit.Sources.Readers;

internal static class RecordFactory
{
    /// <summary>
    /// Builds a record whose id is its trimmed key value. A record without a key is still returned, with the id
    /// <c>line:&lt;n&gt;</c>, and reported: dropping it would lose data silently, and the audit flags it from the report.
    /// </summary>
    public static SourceRecord Create(FileSchema schema, string?[] values, string file, long line, IReadProblemSink problems)
    {
        var key = values[schema.KeyIndex]?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            key = SyntheticId(line);
            problems.Report(new ReadProblem(file, line, schema.Schema.SourceColumnNumbers[schema.KeyIndex], string.Create(
                CultureInfo.InvariantCulture,
                $"The key column '{schema.Schema.Columns[schema.KeyIndex]}' is empty. Expected the record's id; the record is kept with the id '{key}'.")));
        }

        if (schema.RowKeyIndexes is { } parts)
        {
            // One row per recipient (say): the row's own id is the key and the rest of the row key, so each row is a
            // record of its own rather than a repeat of the first.
            foreach (var index in parts)
            {
                if (index >= 0 && values[index]?.Trim() is { Length: > 0 } part)
                {
                    key += "/" + part;
                }
            }
        }

        return new SourceRecord(schema.Schema, key, values, new SourceLocation(file, line));
    }

    /// <summary>The id given to a record whose key column is empty.</summary>
    public static string SyntheticId(long line) => string.Create(CultureInfo.InvariantCulture, $"line:{line}");
}
