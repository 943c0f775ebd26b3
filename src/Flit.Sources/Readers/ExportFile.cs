namespace Flit.Sources.Readers;

/// <summary>
/// An export file as the readers see it: a name for records and messages, and a way to open it as many times as a
/// reader needs (format sniffing, encoding detection and the JSON schema pass each read it from its start). The
/// stream need not be seekable: a staged blob's read stream is forward-only, and no reader asks more of it.
/// </summary>
/// <param name="name">What records and problems carry as their file: the path relative to the export folder, with '/'.</param>
/// <param name="open">Opens a new stream at the file's first byte; called once per pass, each stream disposed after it.</param>
public sealed class ExportFile(string name, Func<CancellationToken, Task<Stream>> open)
{
    private const int FileBufferSize = 64 * 1024;

    public string Name { get; } = !string.IsNullOrEmpty(name) ? name : throw new ArgumentException("An export file needs a name.", nameof(name));

    /// <summary>A new stream at the file's first byte.</summary>
    public Task<Stream> OpenAsync(CancellationToken cancellationToken) => open(cancellationToken);

    /// <summary>A file on this machine (a local export folder before it is staged, a benchmark's exports).</summary>
    /// <param name="path">The file.</param>
    /// <param name="name">The name records carry; the file name without its folder when null.</param>
    public static ExportFile Local(string path, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ExportFile(name ?? Path.GetFileName(path), _ => Task.FromResult<Stream>(
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, FileOptions.SequentialScan | FileOptions.Asynchronous)));
    }
}
