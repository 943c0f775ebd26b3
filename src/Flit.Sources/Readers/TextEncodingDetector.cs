using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Flit.Sources.Readers;

/// <summary>The text encoding of an export file and how many bytes of byte order mark precede the text.</summary>
internal sealed record DetectedEncoding(Encoding Encoding, int PreambleLength)
{
    public bool IsUtf8 => Encoding.CodePage == Encoding.UTF8.CodePage;
}

/// <summary>
/// Decides a file's encoding: a BOM wins; otherwise the whole file is validated as UTF-8 in chunks, and any invalid
/// sequence anywhere makes it Windows-1252 (what Excel's plain "CSV" writes in the US and EU). Deciding from the first
/// kilobytes only would misread a file whose first accented character comes late.
/// </summary>
internal static class TextEncodingDetector
{
    private const int ChunkSize = 64 * 1024;

    public static Encoding Windows1252 { get; } = GetWindows1252();

    public static DetectedEncoding Detect(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize + 4);
        try
        {
            var filled = FillAtLeast(stream, buffer.AsSpan(0, ChunkSize), 4);
            var head = buffer.AsSpan(0, filled);
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

            return IsValidUtf8(stream, buffer, filled)
                ? new DetectedEncoding(new UTF8Encoding(false), 0)
                : new DetectedEncoding(Windows1252, 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Validates the rest of the stream; <paramref name="pending"/> bytes at the start of the buffer are unread input.</summary>
    private static bool IsValidUtf8(Stream stream, byte[] buffer, int pending)
    {
        while (true)
        {
            var read = stream.Read(buffer, pending, buffer.Length - pending);
            var length = pending + read;
            if (read == 0)
            {
                // At the end, an incomplete sequence is invalid.
                return Utf8.IsValid(buffer.AsSpan(0, length));
            }

            // A sequence split across chunks is carried over to the next one instead of being judged half-read.
            var complete = CompletePrefixLength(buffer.AsSpan(0, length));
            if (!Utf8.IsValid(buffer.AsSpan(0, complete)))
            {
                return false;
            }

            pending = length - complete;
            buffer.AsSpan(complete, pending).CopyTo(buffer);
        }
    }

    /// <summary>Length of <paramref name="bytes"/> without a trailing lead byte whose continuation bytes are still to come.</summary>
    internal static int CompletePrefixLength(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // continuation byte: keep looking for its lead byte
            }

            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? bytes.Length - back : bytes.Length;
        }

        return bytes.Length;
    }

    private static int FillAtLeast(Stream stream, Span<byte> buffer, int minimum)
    {
        var filled = 0;
        while (filled < minimum)
        {
            var read = stream.Read(buffer[filled..]);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static Encoding GetWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }
}
