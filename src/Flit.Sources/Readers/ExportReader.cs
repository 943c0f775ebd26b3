using Flit.Core.Records;
using Flit.Core.Sources;

namespace Flit.Sources.Readers;

/// <summary>
/// The one entry point for reading an export file: picks the reader from the file's content (a <c>.csv</c> that is
/// really an XLSX or JSON file is read as what it is) and streams its records.
/// </summary>
public static class ExportReader
{
    /// <summary>
    /// Streams the records of one export file. Nothing is read until the sequence is enumerated, and memory does not
    /// grow with the file: records are produced one at a time.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="layout">The object the file holds; its columns and aliases name the headers.</param>
    /// <param name="problems">Receives each unreadable line or value; reading goes on after it.</param>
    /// <param name="cancellationToken">Checked before every record.</param>
    /// <returns>The records; their <see cref="SourceLocation.File"/> is the file name without its folder.</returns>
    /// <exception cref="ExportLayoutException">When enumerated: the file cannot be read as the object at all (no key column).</exception>
    public static IEnumerable<SourceRecord> Read(string path, ObjectLayout layout, IReadProblemSink problems, CancellationToken cancellationToken = default) =>
        Read(path, Path.GetFileName(path), layout, problems, cancellationToken);

    /// <summary>Streams the records of one export file, naming it <paramref name="displayName"/> in records and problems.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="displayName">The name records and problems carry, e.g. the path relative to the export folder.</param>
    /// <param name="layout">The object the file holds; its columns and aliases name the headers.</param>
    /// <param name="problems">Receives each unreadable line or value; reading goes on after it.</param>
    /// <param name="cancellationToken">Checked before every record.</param>
    public static IEnumerable<SourceRecord> Read(string path, string displayName, ObjectLayout layout, IReadProblemSink problems, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(displayName);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(problems);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The export file '{path}' does not exist.", path);
        }

        return ReadCore(path, displayName, layout, problems, cancellationToken);
    }

    /// <summary>The format the content of a file has, whatever its extension says; <paramref name="declared"/> when the content does not tell.</summary>
    public static ExportFormat DetectFormat(string path, ExportFormat declared)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = Utf8Input.OpenFile(path);
        Span<byte> head = stackalloc byte[512];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return FormatSniffer.Sniff(head[..length], declared);
    }

    private static IEnumerable<SourceRecord> ReadCore(string path, string file, ObjectLayout layout, IReadProblemSink problems, CancellationToken cancellationToken)
    {
        switch (DetectFormat(path, layout.Format))
        {
            case ExportFormat.Xlsx:
                return XlsxExportReader.Read(path, file, layout, problems, cancellationToken);
            case ExportFormat.Json:
                return JsonExportReader.Read(path, file, layout, Detect(path), problems, cancellationToken);
            default:
                return CsvExportReader.Read(path, file, layout, Detect(path), problems, cancellationToken);
        }
    }

    private static DetectedEncoding Detect(string path)
    {
        using var stream = Utf8Input.OpenFile(path);
        return TextEncodingDetector.Detect(stream);
    }
}

/// <summary>Recognises a format from the first bytes of a file.</summary>
internal static class FormatSniffer
{
    public static ExportFormat Sniff(ReadOnlySpan<byte> head, ExportFormat declared)
    {
        // ZIP (xlsx) or OLE compound file (legacy xls): both are spreadsheets ExcelDataReader opens.
        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
        {
            return ExportFormat.Xlsx;
        }

        var step = 1;
        var start = 0;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            start = 3;
        }
        else if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            (start, step) = (2, 2); // UTF-16 LE: ASCII in the low byte first
        }
        else if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            (start, step) = (3, 2); // UTF-16 BE: ASCII in the second byte
        }

        var first = NextSignificant(head, ref start, step);
        if (first == '{')
        {
            return ExportFormat.Json;
        }

        if (first == '[')
        {
            start += step;
            var second = NextSignificant(head, ref start, step);
            return second is '{' or ']' or '\0' ? ExportFormat.Json : ExportFormat.Csv;
        }

        // Text that is not JSON is delimited text, whatever the layout expected; an empty file keeps its declared format.
        return first == '\0' ? declared : ExportFormat.Csv;
    }

    private static char NextSignificant(ReadOnlySpan<byte> head, ref int index, int step)
    {
        for (; index < head.Length; index += step)
        {
            var b = head[index];
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return (char)b;
            }
        }

        return '\0';
    }
}
