namespace Flit.Core.Ports;

/// <summary>A staged item: path relative to the store root, size and sha-256.</summary>
public sealed record StagedItem(string Path, long Length);

/// <summary>
/// Where exports, batch files, snapshots and reports live between activities: local files by default, Blob Storage
/// in Azure. Paths use '/' and are relative to the store.
/// </summary>
public interface IStagingStore
{
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes a whole item: it becomes visible, whole, when <see cref="StagedWriteStream.CommitAsync"/> returns;
    /// a stream disposed without it (the writer threw, the process died) leaves the item as it was.</summary>
    Task<StagedWriteStream> OpenWriteAsync(string path, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken);

    /// <summary>The item's size in bytes, or null when there is no such item.</summary>
    Task<long?> LengthAsync(string path, CancellationToken cancellationToken);

    IAsyncEnumerable<StagedItem> ListAsync(string prefix, CancellationToken cancellationToken);

    Task DeleteAsync(string path, CancellationToken cancellationToken);
}

/// <summary>
/// A staged item being written. Nothing of it is visible until <see cref="CommitAsync"/>: a writer that throws half
/// way (a serializer, a cancelled read of its source) leaves the item as it was, never a truncated one that a rollback
/// or a reconciliation would read as whole.
/// </summary>
public abstract class StagedWriteStream : Stream
{
    /// <summary>Makes what was written the item, whole; the stream takes no more writes.</summary>
    public abstract Task CommitAsync(CancellationToken cancellationToken);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
