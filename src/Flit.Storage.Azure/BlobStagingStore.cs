using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Flit.Core.Ports;

namespace Flit.Storage.Azure;

/// <summary>
/// Staging on a Blob Storage container, under one prefix per store (a migration's staging area). Items stream both
/// ways: reads come in ranges as they are consumed, writes go up in blocks that become the blob only when the stream
/// is committed (<see cref="BlockCommitStream"/>), so a half-written item is never visible.
/// </summary>
public sealed class BlobStagingStore : IStagingStore
{
    private readonly BlobContainerClient _container;
    private readonly string _prefix;

    /// <param name="container">The container (created if missing on first write).</param>
    /// <param name="prefix">The store's folder in it, e.g. <c>migrations/m-42</c>; paths are relative to it.</param>
    public BlobStagingStore(BlobContainerClient container, string prefix)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        _prefix = prefix.Trim('/').Length == 0 ? string.Empty : StagingPath.Check(prefix.Trim('/')) + "/";
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await Blob(path).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"Staged item '{path}' does not exist in container {_container.Name}/{_prefix}.", path, e);
        }
    }

    public async Task<StagedWriteStream> OpenWriteAsync(string path, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlockBlobClient(Name(path));
        await EnsureContainerAsync(cancellationToken);
        return new BlockCommitStream(blob);
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) =>
        (await Blob(path).ExistsAsync(cancellationToken)).Value;

    public async Task<long?> LengthAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await Blob(path).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The items under a folder, a page of blobs at a time, in name order.</summary>
    public async IAsyncEnumerable<StagedItem> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var folder = prefix.Trim('/');
        var under = _prefix + (folder.Length == 0 ? string.Empty : StagingPath.Check(folder) + "/");
        if (!(await _container.ExistsAsync(cancellationToken)).Value)
        {
            yield break;
        }

        await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = under }, cancellationToken))
        {
            yield return new StagedItem(blob.Name[_prefix.Length..], blob.Properties.ContentLength ?? 0);
        }
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        await Blob(path).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);

    private BlobClient Blob(string path) => _container.GetBlobClient(Name(path));

    private string Name(string path) => _prefix + StagingPath.Check(path);

    private bool _containerChecked;

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_containerChecked)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _containerChecked = true;
        }
    }
}
