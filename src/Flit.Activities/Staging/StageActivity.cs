using System.Security.Cryptography;
using System.Text.Json;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Workflow;
using Flit.Sources.Layouts;
using Flit.Sources.Readers;

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
        var items = new List<string>();
        await foreach (var item in store.ListAsync(prefix, cancellationToken))
        {
            items.Add(item.Path);
        }

        // Refused before anything is staged: an empty drop, or one holding no file of the pair's layout, would
        // otherwise audit as "0 records" and carry on.
        var layout = SourceLayouts.Get(MappingSpecLoader.LoadShipped(request.Pair).Source);
        ExportFolder.EnsureReadable(prefix, [.. items.Select(p => p[prefix.Length..])], layout, request.Pair);

        var files = new List<StagedFile>();
        foreach (var path in items)
        {
            var relative = path[prefix.Length..];
            var target = $"{RunPaths.Exports(request.MigrationId)}/{relative}";
            files.Add(await CopyAsync(path, target, relative, cancellationToken));
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));

        // A later run (a delta pass) stages a newer export over the earlier one: a file the newer export no longer has
        // must not be read as if it were still there.
        await store.DeleteOthersAsync(RunPaths.Exports(request.MigrationId), files.Select(f => $"{RunPaths.Exports(request.MigrationId)}/{f.Path}").ToHashSet(StringComparer.Ordinal), cancellationToken);

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

            await target.CommitAsync(cancellationToken);
        }

        return new StagedFile(relative, length, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}
