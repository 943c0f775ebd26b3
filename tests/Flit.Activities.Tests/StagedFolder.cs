using Flit.Core.Ports;

namespace Flit.Activities.Tests;

/// <summary>Puts a local export folder into a store as a run's staged exports (what StageActivity leaves there).</summary>
internal static class StagedFolder
{
    public static async Task CopyAsync(string folder, IStagingStore store, string migrationId)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            await using var source = File.OpenRead(file);
            await using var target = await store.OpenWriteAsync($"{RunPaths.Exports(migrationId)}/{relative}", CancellationToken.None);
            await source.CopyToAsync(target);
            await target.CommitAsync(CancellationToken.None);
        }
    }
}
