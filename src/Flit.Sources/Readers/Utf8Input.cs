using System.Text;

namespace Flit.Sources.Readers;

/// <summary>
/// Opens an export as a stream of UTF-8 bytes without BOM, whatever its encoding: the CSV and JSON readers then
/// work on one representation, and offsets and line counts mean the same thing for every file.
/// </summary>
internal static class Utf8Input
{
    private const int FileBufferSize = 64 * 1024;

    public static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, FileOptions.SequentialScan);

    public static Stream Open(string path, DetectedEncoding encoding)
    {
        var file = OpenFile(path);
        try
        {
            file.Seek(encoding.PreambleLength, SeekOrigin.Begin);
            return encoding.IsUtf8
                ? file
                : Encoding.CreateTranscodingStream(file, encoding.Encoding, new UTF8Encoding(false), leaveOpen: false);
        }
        catch
        {
            file.Dispose();
            throw;
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
