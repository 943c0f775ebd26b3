using System.Globalization;
using System.Text;
using System.Xml;
using ExcelDataReader;
using ExcelDataReader.Exceptions;
using Flit.Core.Records;
using Flit.Core.Sources;

namespace Flit.Sources.Readers;

/// <summary>
/// Streams the rows of a worksheet with ExcelDataReader (row by row from the sheet XML). The sheet named like the
/// object is read when there is one, else the first. The header is the first non-empty row; a record's line is its
/// sheet row number.
/// </summary>
internal static class XlsxExportReader
{
    public static IEnumerable<SourceRecord> Read(string path, string file, ObjectLayout layout, IReadProblemSink problems, CancellationToken cancellationToken)
    {
        _ = TextEncodingDetector.Windows1252; // legacy .xls needs the code page provider registered
        using var stream = Utf8Input.OpenFile(path);
        using var reader = Open(stream, file, layout.Name);

        FileSchema? schema = null;
        long headerLine = 0;
        long line = 0;
        long records = 0;
        while (Next(reader, file, line, records))
        {
            cancellationToken.ThrowIfCancellationRequested();
            line = (long)reader.Depth + 1;
            if (schema is null)
            {
                var headers = new List<(string, int)>();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    headers.Add((CellText(reader.GetValue(i)) ?? string.Empty, i + 1));
                }

                while (headers.Count > 0 && headers[^1].Item1.Trim().Length == 0)
                {
                    headers.RemoveAt(headers.Count - 1);
                }

                if (headers.Count > 0)
                {
                    headerLine = line;
                    schema = SchemaBuilder.Build(headers, layout, file, line, problems);
                }

                continue;
            }

            var count = schema.Schema.Columns.Count;
            var values = new string?[count];
            var any = false;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var text = CellText(reader.GetValue(i));
                if (string.IsNullOrEmpty(text))
                {
                    continue;
                }

                if (i >= count)
                {
                    problems.Report(new ReadProblem(file, line, i + 1, string.Create(
                        CultureInfo.InvariantCulture,
                        $"The cell has a value but its column has no header in row {headerLine}; the value is ignored. Expected values only under the {count} named columns.")));
                    continue;
                }

                values[i] = text;
                any = true;
            }

            if (any)
            {
                records++;
                yield return RecordFactory.Create(schema, values, file, line, problems);
            }
        }

        if (schema is null)
        {
            problems.Report(new ReadProblem(file, 1, 0, $"The worksheet '{reader.Name}' has no header row. Expected a first non-empty row naming the columns."));
        }
    }

    private static IExcelDataReader Open(Stream stream, string file, string objectName)
    {
        IExcelDataReader? reader = null;
        try
        {
            reader = ExcelReaderFactory.CreateReader(stream);
            SelectSheet(reader, objectName);
            return reader;
        }
        catch (Exception e) when (IsDamage(e))
        {
            reader?.Dispose();
            throw Damaged(file, 0, 0, e);
        }
    }

    /// <summary>The next row; a workbook damaged further in fails here, naming the row after the last one read.</summary>
    private static bool Next(IExcelDataReader reader, string file, long lastRow, long records)
    {
        try
        {
            return reader.Read();
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Damaged(file, lastRow + 1, records, e);
        }
    }

    /// <summary>
    /// What ExcelDataReader and the ZIP and XML layers under it throw for a file that is not a sound workbook:
    /// a broken ZIP or compound document, malformed sheet XML, a truncated stream, a password.
    /// </summary>
    private static bool IsDamage(Exception e) =>
        e is ExcelReaderException or InvalidDataException or XmlException or EndOfStreamException or DecoderFallbackException
            or NotSupportedException or ArgumentException or IndexOutOfRangeException or FormatException;

    private static ExportFormatException Damaged(string file, long row, long records, Exception e)
    {
        var where = row > 0 ? string.Create(CultureInfo.InvariantCulture, $"{file}, row {row}") : file;
        var read = row > 0 ? $" after {ExportInputException.Records(records)}" : string.Empty;
        var what = e is InvalidPasswordException ? "the workbook is password-protected" : $"the workbook is damaged or not a workbook ({e.Message.TrimEnd('.')})";
        return new ExportFormatException(file, row, 0, records, string.Create(CultureInfo.InvariantCulture,
            $"{where}: cannot be read{read}: {what}. Open it in Excel and save it again as .xlsx (without a password), or export it again."), e);
    }

    private static void SelectSheet(IExcelDataReader reader, string objectName)
    {
        var wanted = HeaderNames.Normalize(objectName);
        for (var i = 0; i < reader.ResultsCount; i++)
        {
            if (HeaderNames.Normalize(reader.Name ?? string.Empty) == wanted)
            {
                return;
            }

            if (!reader.NextResult())
            {
                break;
            }
        }

        reader.Reset(); // no sheet is named after the object: the first one
    }

    /// <summary>
    /// Cell values as text the way a person reads them in Excel: numbers invariant and without float noise
    /// (0.1 stays 0.1, 5 has no ".0"), dates ISO-8601, text untouched (leading zeros kept).
    /// </summary>
    internal static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        double d => FormatNumber(d),
        DateTime dt => dt.TimeOfDay == TimeSpan.Zero
            ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : dt.ToString(dt.Millisecond == 0 ? "yyyy-MM-ddTHH:mm:ss" : "yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    internal static string FormatNumber(double d)
    {
        // Excel stores 15 significant digits; rounding there removes binary noise such as 0.30000000000000004.
        var rounded = double.Parse(d.ToString("G15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (Math.Abs(rounded) < 1e15 || rounded != Math.Floor(rounded))
        {
            return rounded.ToString("R", CultureInfo.InvariantCulture);
        }

        // Large integers (ids, phone numbers) without an exponent, to the 15 digits Excel keeps.
        return Math.Abs(rounded) < 7.9e28
            ? ((decimal)rounded).ToString(CultureInfo.InvariantCulture)
            : rounded.ToString("R", CultureInfo.InvariantCulture);
    }
}
