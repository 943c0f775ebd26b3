using System.Globalization;
using System.Runtime.CompilerServices;
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
/// <remarks>
/// A workbook is a ZIP (or OLE) container whose directory sits at its end, so ExcelDataReader needs a seekable
/// stream. A local file's stream seeks; a staged blob's does not, and is then copied to a temporary file in
/// <see cref="Path.GetTempPath"/> opened with <see cref="FileOptions.DeleteOnClose"/>, which is read instead and removed
/// when reading ends or is abandoned (disk, not memory, holds the copy: workbooks can be large). Only a killed process
/// leaves such a file (<c>flit-xlsx-*.tmp</c>) behind.
/// </remarks>
internal static class XlsxExportReader
{
    private const int SpoolBufferSize = 81920;

    public static IAsyncEnumerable<SourceRecord> ReadAsync(ExportFile export, ObjectLayout layout, IReadProblemSink problems, CancellationToken cancellationToken) =>
        ReadAsync(export, layout, problems, Path.GetTempPath(), cancellationToken);

    /// <param name="export">The workbook.</param>
    /// <param name="layout">The object it holds.</param>
    /// <param name="problems">Receives each unreadable cell.</param>
    /// <param name="spoolFolder">Where a forward-only stream is copied to be read (tests watch it).</param>
    /// <param name="cancellationToken">Checked before every row.</param>
    internal static async IAsyncEnumerable<SourceRecord> ReadAsync(ExportFile export, ObjectLayout layout, IReadProblemSink problems, string spoolFolder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _ = TextEncodingDetector.Windows1252; // legacy .xls needs the code page provider registered
        var file = export.Name;
        await using var stream = await OpenSeekableAsync(export, spoolFolder, cancellationToken);
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

    /// <summary>The workbook's own stream when it seeks; else a copy in a temporary file deleted when the stream closes.</summary>
    private static async Task<Stream> OpenSeekableAsync(ExportFile export, string spoolFolder, CancellationToken cancellationToken)
    {
        var stream = await export.OpenAsync(cancellationToken);
        if (stream.CanSeek)
        {
            return stream;
        }

        await using (stream)
        {
            var spool = new FileStream(Path.Combine(spoolFolder, $"flit-xlsx-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
                SpoolBufferSize, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            try
            {
                await stream.CopyToAsync(spool, SpoolBufferSize, cancellationToken);
                spool.Position = 0;
                return spool;
            }
            catch
            {
                await spool.DisposeAsync();
                throw;
            }
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
