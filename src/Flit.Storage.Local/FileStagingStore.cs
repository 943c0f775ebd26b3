using System.Runtime.CompilerServices;
using Flit.Core.Ports;

namespace Flit.Storage.Local;

/// <summary>
/// Staging on the local file system (the embedded default). Writes go to a temporary file that is renamed into
/// place only when the writer commits it, so neither a crash nor a writer that throws leaves a half-written item visible.
/// </summary>
public sealed class FileStagingStore : IStagingStore
{
    public FileStagingStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The file behind a staged path (readers that need a seekable local file use it directly).</summary>
    public string LocalPath(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Root, StagingPath.Check(path)));
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || full == Root
            ? full
            : throw new ArgumentException($"Staging path '{path}' leaves the store's folder.", nameof(path));
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var file = LocalPath(path);
        return File.Exists(file)
            ? Task.FromResult<Stream>(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 65536, useAsync: true))
            : throw new FileNotFoundException($"Staged item '{path}' does not exist in {Root}.", file);
    }

    public Task<StagedWriteStream> OpenWriteAsync(string path, CancellationToken cancellationToken)
    {
        var file = LocalPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = $"{file}.{Guid.NewGuid():N}.tmp";
        return Task.FromResult<StagedWriteStream>(new AtomicFileStream(temp, file));
    }

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => Task.FromResult(File.Exists(LocalPath(path)));

    public Task<long?> LengthAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileInfo(LocalPath(path));
        return Task.FromResult(file.Exists ? file.Length : (long?)null);
    }

    public async IAsyncEnumerable<StagedItem> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var folder = LocalPath(prefix.TrimEnd('/'));
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        var items = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.CompletedTask;
            yield return new StagedItem(item, new FileInfo(Path.Combine(Root, item)).Length);
        }
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        // Deleting what is not there is no error, as in Blob Storage's delete-if-exists; File.Delete throws when the
        // folder is missing too.
        var file = LocalPath(path);
        if (File.Exists(file))
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Writes a temporary file and renames it into place on commit. Disposed without a commit (the writer threw), the
    /// temporary file is deleted; a killed process leaves only the temporary file, which listings ignore.
    /// </summary>
    private sealed class AtomicFileStream(string temp, string target) : StagedWriteStream
    {
        private readonly FileStream _file = new(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536, useAsync: true);
        private bool _committed;

        public override bool CanWrite => !_committed;

        public override long Length => _file.Length;

        public override void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _file.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _file.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _file.WriteAsync(buffer, cancellationToken);

        // A writer wrapped around the stream (a StreamWriter) flushes it again when disposed, after the commit.
        public override void Flush()
        {
            if (!_committed)
            {
                _file.Flush();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => _committed ? Task.CompletedTask : _file.FlushAsync(cancellationToken);

        public override async Task CommitAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_committed, this);
            await _file.FlushAsync(cancellationToken);
            await _file.DisposeAsync();
            File.Move(temp, target, overwrite: true);
            _committed = true;
        }

        public override async ValueTask DisposeAsync()
        {
            await _file.DisposeAsync();
            Discard();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
                Discard();
            }

            base.Dispose(disposing);
        }

        private void Discard()
        {
            if (!_committed && File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
