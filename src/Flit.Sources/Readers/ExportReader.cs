using System.Runtime.CompilerServices;
using System.Text;
using Flit.Core.Records;
using Flit.Core.Sources;

namespace Flit.Sources.Readers;

/// <summary>
/// The one entry point for reading an export file: picks the reader from the file's content (a <c>.csv</c> that is
/// really an XLSX or JSON file is read as what it is) and streams its records. The file is read through an
/// <see cref="ExportFile"/> opener, from a local path or a staging store alike; no reader needs a seekable stream
/// (XLSX spools a forward-only one to a temporary file, see <see cref="XlsxExportReader"/>).
/// </summary>
public static class ExportReader
{
    /// <summary>
    /// Streams the records of one export file. Nothing is read until the sequence is enumerated, and memory does not
    /// grow with the file: records are produced one at a time. Detection (format, encoding) reads the file first, each
    /// pass through a stream of its own.
    /// </summary>
    /// <param name="file">The file to read; records and problems carry its name.</param>
    /// <param name="layout">The object the file holds; its columns and aliases name the headers.</param>
    /// <param name="problems">Receives each unreadable line or value; reading goes on after it.</param>
    /// <param name="encoding">The encoding of text files without a byte order mark (see <see cref="ExportEncodings.Resolve"/>), or null to detect it.</param>
    /// <param name="cancellationToken">Checked before every record.</param>
    /// <exception cref="ExportInputException">When enumerated: the file cannot be used (no key column, undecidable
    /// encoding, a corrupt workbook or JSON document); the message names the file and where.</exception>
    public static IAsyncEnumerable<SourceRecord> ReadAsync(ExportFile file, ObjectLayout layout, IReadProblemSink problems, Encoding? encoding = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(problems);
        return ReadCoreAsync(file, layout, problems, encoding, cancellationToken);
    }

    /// <summary>Streams the records of a local export file; their <see cref="SourceLocation.File"/> is the file name without its folder.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="layout">The object the file holds; its columns and aliases name the headers.</param>
    /// <param name="problems">Receives each unreadable line or value; reading goes on after it.</param>
    /// <param name="cancellationToken">Checked before every record.</param>
    /// <exception cref="ExportInputException">When enumerated: the file cannot be used.</exception>
    public static IAsyncEnumerable<SourceRecord> ReadAsync(string path, ObjectLayout layout, IReadProblemSink problems, CancellationToken cancellationToken = default) =>
        ReadAsync(path, Path.GetFileName(path), layout, problems, encoding: null, cancellationToken);

    /// <summary>Streams the records of a local export file, naming it <paramref name="displayName"/> in records and problems.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="displayName">The name records and problems carry, e.g. the path relative to the export folder.</param>
    /// <param name="layout">The object the file holds; its columns and aliases name the headers.</param>
    /// <param name="problems">Receives each unreadable line or value; reading goes on after it.</param>
    /// <param name="cancellationToken">Checked before every record.</param>
    public static IAsyncEnumerable<SourceRecord> ReadAsync(string path, string displayName, ObjectLayout layout, IReadProblemSink problems, CancellationToken cancellationToken = default) =>
        ReadAsync(path, displayName, layout, problems, encoding: null, cancellationToken);

    /// <summary>Streams the records of a local export file read in the encoding a person named.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="displayName">The name records and problems carry, e.g. the path relative to the export folder.</param>
    /// <param name="layout">The object the file holds; its columns and aliases name the headers.</param>
    /// <param name="problems">Receives each unreadable line or value; reading goes on after it.</param>
    /// <param name="encoding">The encoding of text files without a byte order mark, or null to detect it.</param>
    /// <param name="cancellationToken">Checked before every record.</param>
    /// <exception cref="FileNotFoundException">At once: there is no such file.</exception>
    public static IAsyncEnumerable<SourceRecord> ReadAsync(string path, string displayName, ObjectLayout layout, IReadProblemSink problems, Encoding? encoding, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(displayName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The export file '{path}' does not exist.", path);
        }

        return ReadAsync(ExportFile.Local(path, displayName), layout, problems, encoding, cancellationToken);
    }

    /// <summary>The format the content of a file has, whatever its extension says; <paramref name="declared"/> when the content does not tell.</summary>
    /// <exception cref="ExportInputException">A text file whose encoding cannot be decided.</exception>
    private static async Task<(ExportFormat Format, DetectedEncoding? Encoding)> DetectFormatAsync(ExportFile file, ExportFormat declared, Encoding? encoding, CancellationToken cancellationToken)
    {
        // Enough for the spreadsheet signature and, past the longest byte order mark, the text the sniffer looks at.
        var head = await Utf8Input.ReadHeadAsync(file, 4 + 512, cancellationToken);
        if (FormatSniffer.IsSpreadsheet(head))
        {
            return (ExportFormat.Xlsx, null);
        }

        DetectedEncoding detected;
        try
        {
            detected = await TextEncodingDetector.DetectAsync(file, encoding, cancellationToken);
        }
        catch (ExportEncodingException e) when (FormatSniffer.HasSpreadsheetExtension(file.Name))
        {
            throw new ExportFormatException(file.Name, 0, 0, 0,
                $"{file.Name} is not a readable Excel workbook: it starts neither like an XLSX (ZIP) nor like an XLS file, and it is not text either. Save it again from Excel as .xlsx, or export it again.", e);
        }

        var text = head.AsSpan(Math.Min(detected.PreambleLength, head.Length));
        return (FormatSniffer.Sniff(detected.Encoding.GetString(text[..Math.Min(text.Length, 512)]), declared), detected);
    }

    private static async IAsyncEnumerable<SourceRecord> ReadCoreAsync(ExportFile file, ObjectLayout layout, IReadProblemSink problems, Encoding? encoding, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // An iterator, so that detection (which reads the whole file) and its errors wait for enumeration.
        var (format, detected) = await DetectFormatAsync(file, layout.Format, encoding, cancellationToken);
        var records = format switch
        {
            ExportFormat.Xlsx => XlsxExportReader.ReadAsync(file, layout, problems, cancellationToken),
            ExportFormat.Json => JsonExportReader.ReadAsync(file, layout, detected!, problems, cancellationToken),
            _ => CsvExportReader.ReadAsync(file, layout, detected!, problems, cancellationToken),
        };
        await foreach (var record in records)
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
