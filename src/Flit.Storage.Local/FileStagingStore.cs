using System.Runtime.CompilerServices;
using Flit.Core.Ports;

namespace Flit.Storage.Local;

/// <summary>
/// Staging on the local file system (the embedded default). Writes go to a temporary file that is renamed into
/// place only when the stream is disposed without error, so a crash never leaves a half-written item visible.
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

    public Task<Stream> OpenWriteAsync(string path, CancellationToken cancellationToken)
    {
        var file = LocalPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = $"{file}.{Guid.NewGuid():N}.tmp";
        return Task.FromResult<Stream>(new AtomicFileStream(temp, file));
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
    /// Renames the temporary file into place when disposed. A killed process leaves only the temporary file, which
    /// listings ignore; an activity that throws mid-write is re-run and rewrites the whole item.
    /// </summary>
    private sealed class AtomicFileStream : FileStream
    {
        private readonly string _temp;
        private readonly string _target;

        public AtomicFileStream(string temp, string target)
            : base(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536, useAsync: true)
        {
            _temp = temp;
            _target = target;
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Commit();
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                Commit();
            }
        }

        private void Commit()
        {
            if (File.Exists(_temp))
            {
                File.Move(_temp, _target, overwrite: true);
            }
        }
    }
}
