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

    /// <summary>Writes a whole item; it becomes visible only when the returned stream is disposed without error.</summary>
    Task<Stream> OpenWriteAsync(string path, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken);

    /// <summary>The item's size in bytes, or null when there is no such item.</summary>
    Task<long?> LengthAsync(string path, CancellationToken cancellationToken);

    IAsyncEnumerable<StagedItem> ListAsync(string prefix, CancellationToken cancellationToken);

    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
