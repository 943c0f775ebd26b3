using System.Buffers;
using Azure.Storage.Blobs.Specialized;
using Flit.Core.Ports;

namespace Flit.Storage.Azure;

/// <summary>
/// A write-only stream onto a block blob: every <see cref="BlockSize"/> bytes go up as an uncommitted block, and
/// <see cref="CommitAsync"/> commits the block list. Until then readers see the blob as it was (or no blob); a stream
/// disposed without a commit, or a process killed mid-write, leaves only uncommitted blocks, which Blob Storage
/// discards after a week. Memory is one block, whatever the item's size. (The SDK's own <c>OpenWrite</c> commits on
/// every flush, which a <see cref="StreamWriter"/> may call mid-item.)
/// </summary>
internal sealed class BlockCommitStream(BlockBlobClient blob) : StagedWriteStream
{
    public const int BlockSize = 4 * 1024 * 1024;

    private readonly List<string> _blocks = [];
    private readonly string _writer = Convert.ToHexString(Guid.NewGuid().ToByteArray());
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
    private int _filled;
    private long _length;

    public override bool CanWrite => _buffer is not null;

    public override long Length => _length;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Take(buffer)..];
            if (_filled == BlockSize)
            {
                var id = BlockId();
                using var content = new MemoryStream(_buffer!, 0, _filled, writable: false);
                blob.StageBlock(id, content);
                Staged(id);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Take(buffer.Span)..];
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

    public override async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        if (_filled > 0)
        {
            await StageAsync(cancellationToken);
        }

        await blob.CommitBlockListAsync(_blocks, cancellationToken: cancellationToken);
        Release();
    }

    public override async ValueTask DisposeAsync()
    {
        Release();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
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
        var id = BlockId();
        using var content = new MemoryStream(_buffer!, 0, _filled, writable: false);
        await blob.StageBlockAsync(id, content, cancellationToken: cancellationToken);
        Staged(id);
    }

    /// <summary>Block ids are base64 of equal length; the writer's own prefix keeps two writers' blocks apart.</summary>
    private string BlockId() => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{_writer}-{_blocks.Count:D6}"));

    /// <summary>Only a block the service took is listed: a failed stage is never committed.</summary>
    private void Staged(string id)
    {
        _blocks.Add(id);
        _filled = 0;
    }

    private void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
