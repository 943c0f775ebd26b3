using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using Flit.Core.Records;
using Flit.Core.Sources;

namespace Flit.Sources.Readers;

/// <summary>
/// Streams a delimited text export through CsvHelper's SIMD reader (fields read by index, no class mapping).
/// The header is read by us, not by CsvHelper, so that it can be normalised against the layout.
/// </summary>
internal static class CsvExportReader
{
    /// <summary>
    /// A record larger than this is taken for a quote that is never closed: without the cap, such a quote would make
    /// the reader buffer the rest of the file as one field.
    /// </summary>
    internal const int MaxRecordBytes = 64 * 1024 * 1024;

    private const int SniffBytes = 64 * 1024;

    /// <summary>
    /// The records of a delimited text file. A quote that is never closed swallows the rest of the file into one
    /// field: reading then resumes on the line after it, through a new stream of the file (it need not seek).
    /// </summary>
    public static async IAsyncEnumerable<SourceRecord> ReadAsync(
        ExportFile export,
        ObjectLayout layout,
        DetectedEncoding encoding,
        IReadProblemSink problems,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = export.Name;
        var (separator, hintLine) = await DetectSeparatorAsync(export, encoding, cancellationToken);
        FileSchema? schema = null;
        long headerLine = 0;
        long skipLines = 0;
        while (true)
        {
            var malformed = new MalformedTracker();
            var options = new CsvReaderOptions
            {
                Separator = separator,
                HasHeader = false,
                TrackLineNumbers = true,
                SkipEmptyLines = true,
                MalformedData = CsvMalformedDataHandling.Recover,
                FieldCountMismatch = CsvFieldCountHandling.Allow,
                MaxRecordSize = MaxRecordBytes,
                OnMalformedRecord = malformed.Report,
            };
            var input = await Utf8Input.OpenAsync(export, encoding, cancellationToken);
            using var csv = CsvReader.Create(skipLines == 0 ? input : new LineSkippingStream(input, skipLines), options, leaveOpen: false);
            long resumeAfter = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!TryRead(csv, out var tooLarge))
                {
                    if (tooLarge is not null)
                    {
                        var line = tooLarge.LineNumber + skipLines;
                        problems.Report(new ReadProblem(file, line, 0, string.Create(
                            CultureInfo.InvariantCulture,
                            $"The record starting here runs past {MaxRecordBytes / (1024 * 1024)} MB: a quoted field is probably never closed. Expected a closing quote (\") before the end of the field; reading resumes on the next line.")));
                        resumeAfter = line;
                    }

                    break;
                }

                var lineNumber = csv.LineNumber + skipLines;
                var problem = malformed.Take(csv.RowNumber);
                if (schema is null)
                {
                    if (lineNumber == hintLine || IsBlank(csv))
                    {
                        continue;
                    }

                    if (problem is { Reason: CsvMalformedReason.UnterminatedQuote })
                    {
                        throw new ExportLayoutException(file, lineNumber, 0, $"{file}, line {lineNumber}: the header has a quote that is never closed. Expected a header line of column names separated by '{Printable(separator)}'.");
                    }

                    headerLine = lineNumber;
                    schema = BuildSchema(csv, layout, file, headerLine, problems);
                    continue;
                }

                if (problem is { } bad && bad.Reason is CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.TextAfterClosingQuote)
                {
                    if (ReportQuoting(csv, bad, separator, file, lineNumber, problems))
                    {
                        resumeAfter = lineNumber;
                        break;
                    }

                    continue;
                }

                // A stray quote inside an unquoted field (ab"c) is kept as text, as Excel reads it.
                if (ToRecord(csv, schema, file, lineNumber, headerLine, problems) is { } record)
                {
                    yield return record;
                }
            }

            if (resumeAfter == 0)
            {
                if (schema is null)
                {
                    problems.Report(new ReadProblem(file, 1, 0, "The file has no header line. Expected a first line naming the columns."));
                }

                yield break;
            }

            skipLines = resumeAfter;
        }
    }

    /// <summary>Reports a record with broken quoting; returns whether reading must resume after its first line.</summary>
    private static bool ReportQuoting(CsvReader csv, CsvMalformedRecord bad, char separator, string file, long line, IReadProblemSink problems)
    {
        var unterminated = bad.Reason == CsvMalformedReason.UnterminatedQuote;
        var column = QuoteScan.Column(csv.RawRecord, (byte)separator, unterminated ? -1 : bad.ByteOffset - csv.ByteOffset);
        problems.Report(new ReadProblem(file, line, column, unterminated
            ? "A quoted field is never closed before the end of the file. Expected a closing quote (\"); the line is skipped and reading resumes on the next line."
            : "Text follows the closing quote of a quoted field. Expected the quote to be followed by the delimiter or the end of the line (a quote inside a quoted field is written twice: \"\"); the record is skipped."));
        return unterminated;
    }

    private static bool TryRead(CsvReader csv, out CsvFormatException? tooLarge)
    {
        tooLarge = null;
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException ex) when (ex.LineNumber > 0)
        {
            // Only the record size cap throws: malformed quoting is recovered and reported through the callback.
            tooLarge = ex;
            return false;
        }
    }

    private static FileSchema BuildSchema(CsvReader csv, ObjectLayout layout, string file, long headerLine, IReadProblemSink problems)
    {
        var count = csv.FieldCount;
        while (count > 0 && csv.GetString(count - 1).Trim().Length == 0)
        {
            count--; // trailing empty header columns are Excel's selection leftovers, not columns
        }

        var headers = new (string, int)[count];
        for (var i = 0; i < count; i++)
        {
            headers[i] = (csv.GetString(i), i + 1);
        }

        return SchemaBuilder.Build(headers, layout, file, headerLine, problems);
    }

    private static SourceRecord? ToRecord(CsvReader csv, FileSchema schema, string file, long line, long headerLine, IReadProblemSink problems)
    {
        var expected = schema.Schema.Columns.Count;
        var found = csv.FieldCount;
        if (found > expected)
        {
            for (var i = expected; i < found; i++)
            {
                if (!csv.IsEmpty(i))
                {
                    problems.Report(new ReadProblem(file, line, i + 1, string.Create(
                        CultureInfo.InvariantCulture,
                        $"Expected {expected} fields as in the header on line {headerLine}, found {found}; column {i + 1} has a value but no header (an unquoted delimiter inside a value?). The line is skipped.")));
                    return null;
                }
            }
        }
        else if (found < expected)
        {
            if (IsBlank(csv))
            {
                return null;
            }

            problems.Report(new ReadProblem(file, line, found + 1, string.Create(
                CultureInfo.InvariantCulture,
                $"Expected {expected} fields as in the header on line {headerLine}, found {found}. The line is skipped.")));
            return null;
        }

        var values = new string?[expected];
        var any = false;
        for (var i = 0; i < expected; i++)
        {
            if (!csv.IsEmpty(i))
            {
                values[i] = csv.GetString(i);
                any = true;
            }
        }

        return any ? RecordFactory.Create(schema, values, file, line, problems) : null;
    }

    private static bool IsBlank(CsvReader csv)
    {
        for (var i = 0; i < csv.FieldCount; i++)
        {
            if (!csv.GetSpan(i).Trim(" \t"u8).IsEmpty)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The delimiter is the most frequent of <c>,</c> <c>;</c> and tab outside quotes on the header line (ties go in
    /// that order). An Excel <c>sep=;</c> first line wins and is skipped; its line number is returned.
    /// </summary>
    private static async Task<(char Separator, long HintLine)> DetectSeparatorAsync(ExportFile file, DetectedEncoding encoding, CancellationToken cancellationToken)
    {
        await using var input = await Utf8Input.OpenAsync(file, encoding, cancellationToken);
        var buffer = new byte[SniffBytes];
        var length = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return DetectSeparator(buffer.AsSpan(0, length));
    }

    internal static (char Separator, long HintLine) DetectSeparator(ReadOnlySpan<byte> head)
    {
        var line = 1L;
        var i = 0;

        // Skip blank lines before the header.
        while (i < head.Length && head[i] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t')
        {
            if (head[i] == (byte)'\n' || (head[i] == (byte)'\r' && (i + 1 >= head.Length || head[i + 1] != (byte)'\n')))
            {
                line++;
            }

            i++;
        }

        var rest = head[i..];
        if (rest.Length >= 5 && rest[..4].SequenceEqual("sep="u8) && (rest.Length == 5 || rest[5] is (byte)'\r' or (byte)'\n'))
        {
            return ((char)rest[4], line);
        }

        int commas = 0, semicolons = 0, tabs = 0;
        var inQuotes = false;
        foreach (var b in rest)
        {
            if (b == (byte)'"')
            {
                inQuotes = !inQuotes; // a doubled quote toggles twice, which is what it should do
            }
            else if (!inQuotes)
            {
                if (b is (byte)'\r' or (byte)'\n')
                {
                    break;
                }

                switch (b)
                {
                    case (byte)',': commas++; break;
                    case (byte)';': semicolons++; break;
                    case (byte)'\t': tabs++; break;
                }
            }
        }

        var separator = commas >= semicolons && commas >= tabs ? ',' : semicolons >= tabs ? ';' : '\t';
        return (separator, 0);
    }

    private static string Printable(char separator) => separator == '\t' ? "tab" : separator.ToString();

    /// <summary>Holds the malformed-quoting report of the record the reader is about to return.</summary>
    private sealed class MalformedTracker
    {
        private CsvMalformedRecord? _pending;

        public void Report(CsvMalformedRecord record) => _pending ??= record;

        public CsvMalformedRecord? Take(long recordNumber)
        {
            if (_pending is { } pending && pending.RecordNumber == recordNumber)
            {
                _pending = null;
                return pending;
            }

            return null;
        }
    }
}

/// <summary>Finds columns in a raw record by following its quoting.</summary>
internal static class QuoteScan
{
    /// <summary>
    /// The 1-based column holding byte <paramref name="offset"/>, or with a negative offset the column whose
    /// opening quote is never closed.
    /// </summary>
    public static int Column(ReadOnlySpan<byte> raw, byte separator, long offset)
    {
        var column = 1;
        var openColumn = 1;
        var inQuotes = false;
        var atFieldStart = true;
        for (var i = 0; i < raw.Length; i++)
        {
            if (i == offset)
            {
                return column;
            }

            var b = raw[i];
            if (inQuotes)
            {
                if (b == (byte)'"')
                {
                    if (i + 1 < raw.Length && raw[i + 1] == (byte)'"')
                    {
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
            }
            else if (b == (byte)'"' && atFieldStart)
            {
                inQuotes = true;
                openColumn = column;
            }
            else if (b == separator)
            {
                column++;
                atFieldStart = true;
                continue;
            }

            atFieldStart = false;
        }

        return offset < 0 ? openColumn : column;
    }
}
