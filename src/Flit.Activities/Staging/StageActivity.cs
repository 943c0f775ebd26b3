using System.Security.Cryptography;
using System.Text.Json;
using Flit.Core.Ports;
using Flit.Core.Workflow;

namespace Flit.Activities.Staging;

/// <summary>
/// Copies the client's drop to the run's own staging area with a manifest (file, size, SHA-256). Later activities
/// read only the staged copy, so a client re-uploading mid-run cannot change what the run migrates.
/// </summary>
public sealed class StageActivity(IStagingStore store, TimeProvider time)
{
    public async Task<StageResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var prefix = request.ExportPrefix.TrimEnd('/') + "/";
        var files = new List<StagedFile>();
        await foreach (var item in store.ListAsync(prefix, cancellationToken))
        {
            var relative = item.Path[prefix.Length..];
            var target = $"{RunPaths.Exports(request.MigrationId)}/{relative}";
            files.Add(await CopyAsync(item.Path, target, relative, cancellationToken));
        }

        if (files.Count == 0)
        {
            throw new InvalidOperationException(
                $"No export files under '{prefix}'. Upload the client's exports there (or pass --exports to flit) before starting.");
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var manifest = new StageManifest(request.MigrationId, time.GetUtcNow(), files);
        await store.WriteJsonAsync(RunPaths.Manifest(request.MigrationId), manifest, cancellationToken);

        return new StageResult(RunPaths.Manifest(request.MigrationId), files.Count, files.Sum(f => f.Length));
    }

    private async Task<StagedFile> CopyAsync(string from, string to, string relative, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long length = 0;
        await using var source = await store.OpenReadAsync(from, cancellationToken);
        await using (var target = await store.OpenWriteAsync(to, cancellationToken))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                length += read;
            }
        }

        return new StagedFile(relative, length, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}
