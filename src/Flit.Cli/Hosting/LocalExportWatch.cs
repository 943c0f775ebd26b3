using System.Security.Cryptography;
using Flit.Core.Workflow;

namespace Flit.Cli.Hosting;

/// <summary>
/// The local drop the delta window watches: a folder where newer exports arrive, each as a subfolder (the newest by
/// name is taken), or an export folder itself, rewritten with a changed <c>manifest.json</c>. An export is taken once its
/// files have stopped changing for the settle time (a client still copying is not read half way), then uploaded into
/// the migration's drop — what a blob upload does in Azure.
/// </summary>
public sealed class LocalExportWatch(string folder, TimeSpan settle, TimeProvider time)
{
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>A newer export than <see cref="FindExportInput.LastExport"/>, uploaded to the drop; null when none is ready.</summary>
    public async Task<NewExport?> FindAsync(LocalMigrationHost host, FindExportInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(input);
        if (!Directory.Exists(Folder))
        {
            throw new UserFacingException($"The watched folder '{Folder}' does not exist.");
        }

        // A folder holding files is an export itself (its subfolders are its own, e.g. attachments), rewritten in place
        // and known by its manifest; a folder of folders receives each newer export as a subfolder.
        var manifest = Path.Combine(Folder, "manifest.json");
        var candidate = Directory.EnumerateFiles(Folder).Any()
            ? File.Exists(manifest) ? (Path: Folder, Fingerprint: "manifest:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(manifest, cancellationToken)))[..16]) : default
            : Directory.EnumerateDirectories(Folder).Order(StringComparer.Ordinal).LastOrDefault() is { } newest
                ? (Path: newest, Fingerprint: "folder:" + Path.GetFileName(newest))
                : default;
        if (candidate.Path is null || candidate.Fingerprint == input.LastExport || !Settled(candidate.Path))
        {
            return null;
        }

        await host.UploadAsync(candidate.Path, cancellationToken);
        return new NewExport(input.Request.ExportPrefix, candidate.Fingerprint, candidate.Path);
    }

    private bool Settled(string path)
    {
        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Select(f => File.GetLastWriteTimeUtc(f)).ToList();
        return files.Count > 0 && time.GetUtcNow().UtcDateTime - files.Max() >= settle;
    }
}

/// <summary>Where the delta window's eternal loop is: its generation and that generation's input (JSON), so a killed
/// <c>flit delta --watch</c> resumes the generation it was in.</summary>
public sealed record DeltaWatchState(int Generation, string InputJson)
{
    /// <summary>The journal's run of the generation: the Durable instance id, and the generation.</summary>
    public string InstanceId(string migrationId) => $"{DeltaWorkflow.InstanceId(migrationId)}#g{Generation}";
}
