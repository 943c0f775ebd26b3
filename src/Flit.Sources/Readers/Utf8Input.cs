using System.Text;

namespace Flit.Sources.Readers;

/// <summary>
/// Opens an export as a stream of UTF-8 bytes without BOM, whatever its encoding: the CSV and JSON readers then
/// work on one representation, and offsets and line counts mean the same thing for every file.
/// </summary>
internal static class Utf8Input
{
    /// <summary>The file's text from its first character (its byte order mark skipped), as UTF-8.</summary>
    public static async Task<Stream> OpenAsync(ExportFile file, DetectedEncoding encoding, CancellationToken cancellationToken)
    {
        var stream = await file.OpenAsync(cancellationToken);
        try
        {
            await SkipAsync(stream, encoding.PreambleLength, cancellationToken);
            return encoding.IsUtf8
                ? stream
                : Encoding.CreateTranscodingStream(stream, encoding.Encoding, new UTF8Encoding(false), leaveOpen: false);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Up to <paramref name="count"/> bytes from the file's start (fewer when the file is shorter).</summary>
    public static async Task<byte[]> ReadHeadAsync(ExportFile file, int count, CancellationToken cancellationToken)
    {
        await using var stream = await file.OpenAsync(cancellationToken);
        var buffer = new byte[count];
        var length = await stream.ReadAtLeastAsync(buffer, count, throwOnEndOfStream: false, cancellationToken);
        return buffer[..length];
    }

    /// <summary>Moves a stream that may not seek past its first <paramref name="count"/> bytes by reading them.</summary>
    public static async Task SkipAsync(Stream stream, long count, CancellationToken cancellationToken)
    {
        var scratch = new byte[(int)Math.Min(count, 64 * 1024)];
        while (count > 0)
        {
            var read = await stream.ReadAsync(scratch.AsMemory(0, (int)Math.Min(count, scratch.Length)), cancellationToken);
            if (read == 0)
            {
                return;
            }

            count -= read;
        }
    }
}

/// <summary>
/// A read-only stream that drops its first <c>n</c> lines (CR, LF and CR LF each end one line). Used to resume
/// reading after a quote that is never closed, which otherwise swallows the rest of the file.
/// </summary>
internal sealed class LineSkippingStream(Stream inner, long linesToSkip) : Stream
{
    private readonly byte[] _scratch = new byte[16 * 1024];
    private long _linesLeft = linesToSkip;
    private bool _afterCr;
    private byte[]? _pending;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_linesLeft > 0 || _afterCr)
        {
            var read = inner.Read(_scratch);
            if (read == 0)
            {
                return 0;
            }

            var start = Skip(_scratch.AsSpan(0, read));
            if (start < read)
            {
                var rest = _scratch.AsSpan(start, read - start);
                var n = Math.Min(rest.Length, buffer.Length);
                rest[..n].CopyTo(buffer);
                if (n < rest.Length)
                {
                    _pending = rest[n..].ToArray();
                }

                return n;
            }
        }

        if (_pending is { Length: > 0 } pending)
        {
            var n = Math.Min(pending.Length, buffer.Length);
            pending.AsSpan(0, n).CopyTo(buffer);
            _pending = n < pending.Length ? pending[n..] : null;
            return n;
        }

        return inner.Read(buffer);
    }

    /// <summary>Consumes skipped bytes and returns the index of the first byte to keep.</summary>
    private int Skip(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (_afterCr)
            {
                // A LF right after a counted CR is the same line break.
                _afterCr = false;
                if (b == (byte)'\n')
                {
                    i++;
                    continue;
                }
            }

            if (_linesLeft == 0)
            {
                break;
            }

            if (b == (byte)'\r')
            {
                _linesLeft--;
                _afterCr = true;
            }
            else if (b == (byte)'\n')
            {
                _linesLeft--;
            }

            i++;
        }

        return i;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
