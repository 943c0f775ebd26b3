using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Flit.Sources.Readers;

/// <summary>The text encoding of an export file and how many bytes of byte order mark precede the text.</summary>
internal sealed record DetectedEncoding(Encoding Encoding, int PreambleLength)
{
    public bool IsUtf8 => Encoding.CodePage == Encoding.UTF8.CodePage;
}

/// <summary>
/// Decides a file's encoding, and refuses a file it cannot decide rather than turn it into wrong text:
/// <list type="number">
/// <item>a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins, even over an encoding the user named;</item>
/// <item>else the encoding the user named (<c>--encoding</c>);</item>
/// <item>else UTF-16 or UTF-32 without BOM, recognised from where the zero bytes fall (ASCII delimiters and digits
/// are one byte and one, two or three zero bytes);</item>
/// <item>else UTF-8 when the whole file is valid UTF-8 (validated in chunks: a first accented character may come late);</item>
/// <item>else Windows-1252 (what Excel's plain "CSV" writes in the US and EU) — unless the text it gives looks like
/// mojibake (see <see cref="MojibakeScan"/>): bytes of a double-byte encoding (Shift_JIS, EUC-KR, GBK) or of another
/// single-byte code page, which Windows-1252 would turn into plausible-looking rubbish without a word.</item>
/// </list>
/// Whatever the choice, the file must then decode strictly, to text without control characters; otherwise it is
/// refused with its name, the line and column, and what it looks like.
/// </summary>
internal static class TextEncodingDetector
{
    private const int ChunkSize = 64 * 1024;
    private const int SniffBytes = 4096;

    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(ControlRange().Select(c => (byte)c).ToArray());

    public static Encoding Windows1252 { get; } = ExportEncodings.Resolve("windows-1252");

    /// <summary>
    /// Decides the encoding of an export file. Every pass (validation, mojibake scan, strict decoding) opens the file
    /// again and reads it forward, so the file's stream need not be seekable; memory stays one chunk per pass.
    /// </summary>
    /// <param name="file">The file; its name is used in messages.</param>
    /// <param name="declared">The encoding the user named, or null to detect it.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    /// <exception cref="ExportEncodingException">The file does not decode to plausible text.</exception>
    public static async Task<DetectedEncoding> DetectAsync(ExportFile file, Encoding? declared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var sniffed = await Utf8Input.ReadHeadAsync(file, SniffBytes, cancellationToken);

        DetectedEncoding detected;
        string reason;
        if (FromByteOrderMark(sniffed) is { } marked)
        {
            (detected, reason) = (marked, "from its byte order mark");
        }
        else if (declared is not null)
        {
            (detected, reason) = (new DetectedEncoding(declared, 0), "as named with --encoding");
        }
        else if (FromZeroBytes(sniffed) is { } wide)
        {
            (detected, reason) = (wide, "from the pattern of its zero bytes");
        }
        else
        {
            switch (await ScanUtf8Async(file, cancellationToken))
            {
                case Utf8Scan.Valid:
                    return new DetectedEncoding(new UTF8Encoding(false), 0);
                case Utf8Scan.ValidWithControlCharacters:
                    (detected, reason) = (new DetectedEncoding(new UTF8Encoding(false), 0), "as it is valid UTF-8");
                    break;
                default:
                    return await DecideWindows1252Async(file, cancellationToken);
            }
        }

        await EnsurePlausibleAsync(file, detected, reason, cancellationToken);
        return detected;
    }

    /// <summary>BOMs, UTF-32 first: FF FE 00 00 is UTF-32 LE, not UTF-16 LE starting with a NUL character.</summary>
    internal static DetectedEncoding? FromByteOrderMark(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return new DetectedEncoding(new UTF32Encoding(bigEndian: false, byteOrderMark: false), 4);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return new DetectedEncoding(new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new DetectedEncoding(new UTF8Encoding(false), 3);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new DetectedEncoding(new UnicodeEncoding(bigEndian: false, byteOrderMark: false), 2);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new DetectedEncoding(new UnicodeEncoding(bigEndian: true, byteOrderMark: false), 2);
        }

        return null;
    }

    /// <summary>
    /// UTF-16 and UTF-32 without BOM from the share of zero bytes at each position modulo 4. Exports are full of
    /// ASCII (delimiters, digits, e-mails): in UTF-32 LE its characters are <c>c 0 0 0</c>, in UTF-16 LE <c>c 0</c>.
    /// Text in one of the 8-bit encodings has no zero byte at all.
    /// </summary>
    internal static DetectedEncoding? FromZeroBytes(ReadOnlySpan<byte> head)
    {
        var units = head.Length / 4;
        if (units < 2)
        {
            return null;
        }

        var zeros = new int[4];
        for (var i = 0; i < units * 4; i++)
        {
            if (head[i] == 0)
            {
                zeros[i % 4]++;
            }
        }

        double Share(int residue) => (double)zeros[residue] / units;
        if (Share(2) >= 0.9 && Share(3) >= 0.9 && Share(0) < 0.5)
        {
            return new DetectedEncoding(new UTF32Encoding(bigEndian: false, byteOrderMark: false), 0);
        }

        if (Share(0) >= 0.9 && Share(1) >= 0.9 && Share(3) < 0.5)
        {
            return new DetectedEncoding(new UTF32Encoding(bigEndian: true, byteOrderMark: false), 0);
        }

        var odd = (Share(1) + Share(3)) / 2;
        var even = (Share(0) + Share(2)) / 2;
        if (odd >= 0.3 && even <= 0.05)
        {
            return new DetectedEncoding(new UnicodeEncoding(bigEndian: false, byteOrderMark: false), 0);
        }

        if (even >= 0.3 && odd <= 0.05)
        {
            return new DetectedEncoding(new UnicodeEncoding(bigEndian: true, byteOrderMark: false), 0);
        }

        return null;
    }

    private enum Utf8Scan
    {
        Invalid,
        Valid,
        ValidWithControlCharacters,
    }

    /// <summary>Validates the whole stream as UTF-8 and looks for control characters on the way.</summary>
    private static async Task<Utf8Scan> ScanUtf8Async(ExportFile file, CancellationToken cancellationToken)
    {
        await using var stream = await file.OpenAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize + 4);
        try
        {
            var controls = false;
            var pending = 0;
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(pending, ChunkSize + 4 - pending), cancellationToken);
                var length = pending + read;

                // A sequence split across chunks is carried over to the next one instead of being judged half-read;
                // at the end, an incomplete sequence is invalid.
                var complete = read == 0 ? length : Flit.Core.Values.Utf8Text.CompletePrefixLength(buffer.AsSpan(0, length));
                var chunk = buffer.AsSpan(0, complete);
                if (!Utf8.IsValid(chunk))
                {
                    return Utf8Scan.Invalid;
                }

                controls = controls || chunk.IndexOfAny(ControlBytes) >= 0 || HasC1Control(chunk);
                if (read == 0)
                {
                    return controls ? Utf8Scan.ValidWithControlCharacters : Utf8Scan.Valid;
                }

                pending = length - complete;
                buffer.AsSpan(complete, pending).CopyTo(buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>U+0080–U+009F in UTF-8 (C2 80 – C2 9F): what Latin-1 text mistakenly converted to UTF-8 holds.</summary>
    private static bool HasC1Control(ReadOnlySpan<byte> utf8)
    {
        for (var i = utf8.IndexOf((byte)0xC2); i >= 0 && i + 1 < utf8.Length; )
        {
            if (utf8[i + 1] is >= 0x80 and <= 0x9F)
            {
                return true;
            }

            var next = utf8[(i + 1)..].IndexOf((byte)0xC2);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }

    /// <summary>Windows-1252, unless its text looks like mojibake or holds control characters.</summary>
    private static async Task<DetectedEncoding> DecideWindows1252Async(ExportFile exportFile, CancellationToken cancellationToken)
    {
        var file = exportFile.Name;
        var scan = new MojibakeScan();
        (long Line, int Column, char Char)? control = null;
        var position = new TextPosition();
        await foreach (var chunk in DecodeAsync(exportFile, 0, Windows1252, cancellationToken))
        {
            foreach (var c in chunk.Span)
            {
                position.Advance(c);
                scan.Observe(c, position);
                if (control is null && IsControl(c))
                {
                    control = (position.Line, position.Column, c);
                }
            }
        }

        if (scan.Signs > 0)
        {
            var doubleByte = await DoubleByteCandidatesAsync(exportFile, cancellationToken);
            if (doubleByte.Count > 0 || scan.LooksLikeAnotherCodePage)
            {
                var looksLike = doubleByte.Count > 0
                    ? $"a double-byte encoding: it decodes as {string.Join(" and as ", doubleByte)}"
                    : "another single-byte code page (for example windows-1251 for Cyrillic, windows-1253 for Greek, iso-8859-2 for Central European languages)";
                throw new ExportEncodingException(file, scan.FirstLine, scan.FirstColumn, string.Create(CultureInfo.InvariantCulture,
                    $"{ExportInputException.Where(file, scan.FirstLine, scan.FirstColumn)}: the file is not UTF-8, and read as Windows-1252 it gives mojibake such as \"{scan.Sample}\". It looks like {looksLike}. Say which encoding it is with --encoding NAME (for example {SuggestedNames(doubleByte)}); if it really is Windows-1252, --encoding windows-1252."));
            }
        }

        if (control is { } found)
        {
            throw new ExportEncodingException(file, found.Line, found.Column, string.Create(CultureInfo.InvariantCulture,
                $"{ExportInputException.Where(file, found.Line, found.Column)}: the file is not UTF-8, and read as Windows-1252 it holds the control character U+{(int)found.Char:X4}, which exported text does not contain: it is in another encoding, or not a text file. Say which encoding it is with --encoding NAME (for example {string.Join(", ", ExportEncodings.Examples)})."));
        }

        return new DetectedEncoding(Windows1252, 0);
    }

    private static readonly (string Name, int CodePage)[] DoubleByteEncodings = [("shift_jis", 932), ("euc-kr", 51949), ("ks_c_5601-1987", 949), ("gbk", 936)];

    /// <summary>The double-byte encodings that decode the whole file without an invalid byte and give CJK text.</summary>
    private static async Task<List<string>> DoubleByteCandidatesAsync(ExportFile file, CancellationToken cancellationToken)
    {
        var candidates = new List<string>();
        foreach (var (name, codePage) in DoubleByteEncodings)
        {
            if (name == "ks_c_5601-1987" && candidates.Contains("euc-kr"))
            {
                continue; // Windows' superset of EUC-KR: named only when plain EUC-KR does not do
            }

            var strict = Encoding.GetEncoding(codePage, EncoderFallback.ReplacementFallback, DecoderFallback.ExceptionFallback);
            try
            {
                var cjk = 0L;
                await foreach (var chunk in DecodeAsync(file, 0, strict, cancellationToken))
                {
                    foreach (var c in chunk.Span)
                    {
                        if (c is (>= '\u3040' and <= '\u30FF') or (>= '\u4E00' and <= '\u9FFF') or (>= '\uAC00' and <= '\uD7A3') or (>= '\uFF00' and <= '\uFFEF'))
                        {
                            cjk++;
                        }
                    }
                }

                if (cjk > 0)
                {
                    candidates.Add(name);
                }
            }
            catch (UndecodableBytesException)
            {
                // Not this encoding: a byte sequence it does not define. The next candidate is tried.
            }
        }

        return candidates;
    }

    private static string SuggestedNames(List<string> doubleByte) =>
        string.Join(", ", doubleByte.Concat(ExportEncodings.Examples.Where(e => e is "shift_jis" or "euc-kr" or "gbk" or "windows-1251" or "iso-8859-2")).Distinct(StringComparer.Ordinal));

    /// <summary>Decodes the whole file strictly; refuses invalid bytes and control characters with their position.</summary>
    private static async Task EnsurePlausibleAsync(ExportFile exportFile, DetectedEncoding detected, string reason, CancellationToken cancellationToken)
    {
        var file = exportFile.Name;
        var name = ExportEncodings.DisplayName(detected.Encoding);
        var strict = Encoding.GetEncoding(detected.Encoding.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ExceptionFallback);
        var position = new TextPosition();
        try
        {
            await foreach (var chunk in DecodeAsync(exportFile, detected.PreambleLength, strict, cancellationToken))
            {
                foreach (var c in chunk.Span)
                {
                    position.Advance(c);
                    if (IsControl(c))
                    {
                        var hint = c == '\0' && detected.PreambleLength == 0 && detected.Encoding.CodePage is 65001 or 1252
                            ? " (zero bytes between the characters: UTF-16 or UTF-32 whose layout could not be recognised?)"
                            : string.Empty;
                        throw new ExportEncodingException(file, position.Line, position.Column, string.Create(CultureInfo.InvariantCulture,
                            $"{ExportInputException.Where(file, position.Line, position.Column)}: read as {name} ({reason}), the file holds the control character U+{(int)c:X4}, which exported text does not contain{hint}. The file is in another encoding, or not a text file. Say which encoding it is with --encoding NAME (for example {string.Join(", ", ExportEncodings.Examples)})."));
                    }
                }
            }
        }
        catch (UndecodableBytesException e)
        {
            var (line, column) = await PositionOfAsync(exportFile, detected, e.Offset, cancellationToken);
            var bytes = e.Bytes.Length > 0 ? string.Join(' ', e.Bytes.Select(b => b.ToString("X2", CultureInfo.InvariantCulture))) : "at the end";
            throw new ExportEncodingException(file, line, column, string.Create(CultureInfo.InvariantCulture,
                $"{ExportInputException.Where(file, line, column)}: the bytes {bytes} are not valid {name} (chosen {reason}). The file is in another encoding, or damaged. Say which encoding it is with --encoding NAME (for example {string.Join(", ", ExportEncodings.Examples)})."));
        }
    }

    /// <summary>Line and column of the character starting at byte <paramref name="offset"/> (an error path: the file is decoded again up to it).</summary>
    private static async Task<(long Line, int Column)> PositionOfAsync(ExportFile file, DetectedEncoding detected, long offset, CancellationToken cancellationToken)
    {
        var position = new TextPosition();
        var remaining = offset - detected.PreambleLength;
        await using var stream = await file.OpenAsync(cancellationToken);
        await Utf8Input.SkipAsync(stream, detected.PreambleLength, cancellationToken);
        var decoder = detected.Encoding.GetDecoder();
        var bytes = new byte[ChunkSize];
        var chars = new char[detected.Encoding.GetMaxCharCount(ChunkSize)];
        while (remaining > 0)
        {
            var read = await stream.ReadAsync(bytes.AsMemory(0, (int)Math.Min(bytes.Length, remaining)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            remaining -= read;
            var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            foreach (var c in chars.AsSpan(0, count))
            {
                position.Advance(c);
            }
        }

        return (position.Line, position.Column + 1);
    }

    /// <summary>The decoded text of the stream from <paramref name="offset"/>, chunk by chunk.</summary>
    /// <exception cref="UndecodableBytesException">With a strict encoding: where the first invalid sequence starts.</exception>
    private static async IAsyncEnumerable<ReadOnlyMemory<char>> DecodeAsync(ExportFile file, long offset, Encoding encoding, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await file.OpenAsync(cancellationToken);
        await Utf8Input.SkipAsync(stream, offset, cancellationToken);
        var decoder = encoding.GetDecoder();
        var bytes = new byte[ChunkSize];
        var chars = new char[encoding.GetMaxCharCount(ChunkSize) + 4];
        var chunkStart = offset;
        while (true)
        {
            var read = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
            int count;
            try
            {
                count = decoder.GetChars(bytes, 0, read, chars, 0, flush: read < bytes.Length);
            }
            catch (DecoderFallbackException e)
            {
                // Index is relative to this chunk (negative for bytes held over from the previous one).
                throw new UndecodableBytesException(chunkStart + e.Index, e.BytesUnknown ?? [], e);
            }

            yield return chars.AsMemory(0, count);
            if (read < bytes.Length)
            {
                yield break;
            }

            chunkStart += read;
        }
    }

    /// <summary>
    /// Control characters other than tab, CR and LF; vertical tab and form feed pass, as some exporters (FileMaker)
    /// write them for line breaks inside a field. U+0080–U+009F count: no text holds them, and they are what
    /// Windows-1252 makes of its five undefined bytes.
    /// </summary>
    internal static bool IsControl(char c) =>
        c is (< ' ' and not ('\t' or '\n' or '\r' or '\v' or '\f')) or '\u007F' or (>= '\u0080' and <= '\u009F');

    private static IEnumerable<int> ControlRange() => Enumerable.Range(0, 0x80).Where(b => IsControl((char)b));
}

/// <summary>A byte sequence a strict decoder does not accept, at an absolute offset of the file.</summary>
internal sealed class UndecodableBytesException(long offset, byte[] bytes, Exception inner) : Exception("Undecodable bytes.", inner)
{
    public long Offset { get; } = offset;

    public byte[] Bytes { get; } = bytes;
}

/// <summary>Line and column of the character last advanced over; CR, LF and CR LF each end one line, as the readers count.</summary>
internal struct TextPosition
{
    private bool _afterCr;

    public TextPosition()
    {
        Line = 1;
    }

    public long Line { get; private set; }

    public int Column { get; private set; }

    public void Advance(char c)
    {
        if (c == '\n' && _afterCr)
        {
            _afterCr = false;
            return;
        }

        _afterCr = c == '\r';
        if (c is '\r' or '\n')
        {
            Line++;
            Column = 0;
            return;
        }

        Column++;
    }
}
