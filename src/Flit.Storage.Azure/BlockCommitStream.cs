using System.Buffers;
using Azure.Storage.Blobs.Specialized;

namespace Flit.Storage.Azure;

/// <summary>
/// A write-only stream onto a block blob: every <see cref="BlockSize"/> bytes go up as an uncommitted block, and
/// the block list is committed when the stream is disposed. Until then readers see the blob as it was (or no blob);
/// a process killed mid-write leaves only uncommitted blocks, which Blob Storage discards after a week. Memory is
/// one block, whatever the item's size. (The SDK's own <c>OpenWrite</c> commits on every flush, which a
/// <see cref="StreamWriter"/> may call mid-item.)
/// </summary>
internal sealed class BlockCommitStream(BlockBlobClient blob) : Stream
{
    public const int BlockSize = 4 * 1024 * 1024;

    private readonly List<string> _blocks = [];
    private readonly string _writer = Convert.ToHexString(Guid.NewGuid().ToByteArray());
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
    private int _filled;
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _buffer is not null;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var take = Take(buffer);
            buffer = buffer[take..];
            if (_filled == BlockSize)
            {
                using var content = new MemoryStream(_buffer!, 0, _filled, writable: false);
                blob.StageBlock(NextBlockId(), content);
                _filled = 0;
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = Take(buffer.Span);
            buffer = buffer[take..];
            if (_filled == BlockSize)
            {
                await StageAsync(cancellationToken);
            }
        }
    }

    /// <summary>Nothing to do: a flush never makes a partial item visible.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_buffer is not null)
        {
            try
            {
                if (_filled > 0)
                {
                    await StageAsync(CancellationToken.None);
                }

                await blob.CommitBlockListAsync(_blocks);
            }
            finally
            {
                Release();
            }
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is not null)
        {
            try
            {
                if (_filled > 0)
                {
                    using var content = new MemoryStream(_buffer, 0, _filled, writable: false);
                    blob.StageBlock(NextBlockId(), content);
                }

                blob.CommitBlockList(_blocks);
            }
            finally
            {
                Release();
            }
        }

        base.Dispose(disposing);
    }

    private int Take(ReadOnlySpan<byte> source)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        var take = Math.Min(source.Length, BlockSize - _filled);
        source[..take].CopyTo(_buffer.AsSpan(_filled));
        _filled += take;
        _length += take;
        return take;
    }

    private async Task StageAsync(CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(_buffer!, 0, _filled, writable: false);
        await blob.StageBlockAsync(NextBlockId(), content, cancellationToken: cancellationToken);
        _filled = 0;
    }

    /// <summary>Block ids are base64 of equal length; the writer's own prefix keeps two writers' blocks apart.</summary>
    private string NextBlockId()
    {
        var id = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{_writer}-{_blocks.Count:D6}"));
        _blocks.Add(id);
        return id;
    }

    private void Release()
    {
        ArrayPool<byte>.Shared.Return(_buffer!);
        _buffer = null;
    }
}
