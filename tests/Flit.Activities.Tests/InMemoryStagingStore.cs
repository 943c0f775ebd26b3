using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Flit.Core.Ports;
using Flit.Testing;

namespace Flit.Activities.Tests;

/// <summary>
/// A staging store in memory, as a blob container is to the activities: items appear only when their write stream is
/// committed, read streams cannot seek, and there is no local path to fall back on.
/// </summary>
internal sealed class InMemoryStagingStore : IStagingStore
{
    private readonly ConcurrentDictionary<string, byte[]> _items = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Paths => [.. _items.Keys];

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) =>
        _items.TryGetValue(path, out var bytes)
            ? Task.FromResult<Stream>(new ForwardOnlyStream(new MemoryStream(bytes, writable: false)))
            : throw new FileNotFoundException($"No staged item '{path}'.", path);

    public Task<StagedWriteStream> OpenWriteAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult<StagedWriteStream>(new CommitOnCommit(bytes => _items[path] = bytes));

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => Task.FromResult(_items.ContainsKey(path));

    public Task<long?> LengthAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult(_items.TryGetValue(path, out var bytes) ? bytes.LongLength : (long?)null);

    public async IAsyncEnumerable<StagedItem> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var root = prefix.TrimEnd('/') + "/";
        foreach (var (path, bytes) in _items.Where(i => i.Key.StartsWith(root, StringComparison.Ordinal)).OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            await Task.Yield();
            yield return new StagedItem(path, bytes.Length);
        }
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        _items.TryRemove(path, out _);
        return Task.CompletedTask;
    }

    private sealed class CommitOnCommit(Action<byte[]> commit) : StagedWriteStream
    {
        private readonly MemoryStream _bytes = new();

        public override bool CanWrite => true;

        public override long Length => _bytes.Length;

        public override void Write(byte[] buffer, int offset, int count) => _bytes.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override Task CommitAsync(CancellationToken cancellationToken)
        {
            commit(_bytes.ToArray());
            return Task.CompletedTask;
        }
    }
}
