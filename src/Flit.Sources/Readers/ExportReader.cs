using System.Text;
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
    /// <exception cref="ExportInputException">When enumerated: the file cannot be used (no key column, undecidable
    /// encoding, a corrupt workbook or JSON document); the message names the file and where.</exception>
    public static IEnumerable<SourceRecord> Read(string path, ObjectLayout layout, IReadProblemSink problems, CancellationToken cancellationToken = default) =>
        Read(path, Path.GetFileName(path), layout, problems, cancellationToken);

    /// <summary>Streams the records of one export file, naming it <paramref name="displayName"/> in records and problems.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="displayName">The name records and problems carry, e.g. the path relative to the export folder.</param>
    /// <param name="layout">The object the file holds; its columns and aliases name the headers.</param>
    /// <param name="problems">Receives each unreadable line or value; reading goes on after it.</param>
    /// <param name="cancellationToken">Checked before every record.</param>
    public static IEnumerable<SourceRecord> Read(string path, string displayName, ObjectLayout layout, IReadProblemSink problems, CancellationToken cancellationToken = default) =>
        Read(path, displayName, layout, problems, encoding: null, cancellationToken);

    /// <summary>Streams the records of one export file read in the encoding a person named.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="displayName">The name records and problems carry, e.g. the path relative to the export folder.</param>
    /// <param name="layout">The object the file holds; its columns and aliases name the headers.</param>
    /// <param name="problems">Receives each unreadable line or value; reading goes on after it.</param>
    /// <param name="encoding">The encoding of text files without a byte order mark (see <see cref="ExportEncodings.Resolve"/>), or null to detect it.</param>
    /// <param name="cancellationToken">Checked before every record.</param>
    /// <exception cref="ExportInputException">When enumerated: the file cannot be used (no key column, undecidable
    /// encoding, a corrupt workbook or JSON document); the message names the file and where.</exception>
    public static IEnumerable<SourceRecord> Read(string path, string displayName, ObjectLayout layout, IReadProblemSink problems, Encoding? encoding, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(displayName);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(problems);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The export file '{path}' does not exist.", path);
        }

        return ReadCore(path, displayName, layout, problems, encoding, cancellationToken);
    }

    /// <summary>The format the content of a file has, whatever its extension says; <paramref name="declared"/> when the content does not tell.</summary>
    /// <exception cref="ExportInputException">A text file whose encoding cannot be decided.</exception>
    public static ExportFormat DetectFormat(string path, ExportFormat declared) =>
        DetectFormat(path, Path.GetFileName(path), declared, null).Format;

    private static (ExportFormat Format, DetectedEncoding? Encoding) DetectFormat(string path, string file, ExportFormat declared, Encoding? encoding)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = Utf8Input.OpenFile(path);
        Span<byte> head = stackalloc byte[8];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (FormatSniffer.IsSpreadsheet(head[..length]))
        {
            return (ExportFormat.Xlsx, null);
        }

        DetectedEncoding detected;
        try
        {
            detected = TextEncodingDetector.Detect(stream, file, encoding);
        }
        catch (ExportEncodingException e) when (FormatSniffer.HasSpreadsheetExtension(file))
        {
            throw new ExportFormatException(file, 0, 0, 0,
                $"{file} is not a readable Excel workbook: it starts neither like an XLSX (ZIP) nor like an XLS file, and it is not text either. Save it again from Excel as .xlsx, or export it again.", e);
        }

        stream.Seek(detected.PreambleLength, SeekOrigin.Begin);
        var text = detected.Encoding.GetString(ReadHead(stream, 512));
        return (FormatSniffer.Sniff(text, declared), detected);
    }

    private static byte[] ReadHead(Stream stream, int count)
    {
        var buffer = new byte[count];
        var length = stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        return buffer[..length];
    }

    private static IEnumerable<SourceRecord> ReadCore(string path, string file, ObjectLayout layout, IReadProblemSink problems, Encoding? encoding, CancellationToken cancellationToken)
    {
        // An iterator, so that detection (which reads the whole file) and its errors wait for enumeration.
        var (format, detected) = DetectFormat(path, file, layout.Format, encoding);
        var records = format switch
        {
            ExportFormat.Xlsx => XlsxExportReader.Read(path, file, layout, problems, cancellationToken),
            ExportFormat.Json => JsonExportReader.Read(path, file, layout, detected!, problems, cancellationToken),
            _ => CsvExportReader.Read(path, file, layout, detected!, problems, cancellationToken),
        };
        foreach (var record in records)
        {
            yield return record;
        }
    }
}

/// <summary>Recognises a format from the first bytes or characters of a file.</summary>
internal static class FormatSniffer
{
    /// <summary>ZIP (xlsx) or OLE compound file (legacy xls): both are spreadsheets ExcelDataReader opens.</summary>
    public static bool IsSpreadsheet(ReadOnlySpan<byte> head) =>
        head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]);

    public static bool HasSpreadsheetExtension(string file) =>
        Path.GetExtension(file).ToUpperInvariant() is ".XLSX" or ".XLSM" or ".XLS";

    /// <summary>JSON when the text starts like a JSON object or array of objects; delimited text otherwise.</summary>
    public static ExportFormat Sniff(ReadOnlySpan<char> head, ExportFormat declared)
    {
        var text = head.TrimStart(" \t\r\n");
        if (text.IsEmpty)
        {
            return declared; // an empty file keeps its declared format
        }

        if (text[0] == '{')
        {
            return ExportFormat.Json;
        }

        if (text[0] == '[')
        {
            var rest = text[1..].TrimStart(" \t\r\n");
            return rest.IsEmpty || rest[0] is '{' or ']' ? ExportFormat.Json : ExportFormat.Csv;
        }

        // Text that is not JSON is delimited text, whatever the layout expected.
        return ExportFormat.Csv;
    }
}
