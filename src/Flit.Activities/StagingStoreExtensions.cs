using System.Text;
using System.Text.Json;
using Flit.Core.Ports;

namespace Flit.Activities;

/// <summary>Reading and writing the run's small artefacts (JSON documents, text reports) in one way.</summary>
public static class StagingStoreExtensions
{
    public static async Task<T> ReadJsonAsync<T>(this IStagingStore store, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var stream = await store.OpenReadAsync(path, cancellationToken);
        return await JsonSerializer.DeserializeAsync<T>(stream, JsonDefaults.Options, cancellationToken)
            ?? throw new InvalidDataException($"The staged item {path} is empty.");
    }

    public static async Task<string> ReadTextAsync(this IStagingStore store, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var stream = await store.OpenReadAsync(path, cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>Deletes the items under <paramref name="prefix"/> that are not in <paramref name="keep"/>: what an earlier
    /// copy of a folder left that the newer copy does not have.</summary>
    public static async Task DeleteOthersAsync(this IStagingStore store, string prefix, IReadOnlySet<string> keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keep);
        var stale = new List<string>();
        await foreach (var item in store.ListAsync(prefix.TrimEnd('/') + "/", cancellationToken))
        {
            if (!keep.Contains(item.Path))
            {
                stale.Add(item.Path);
            }
        }

        foreach (var path in stale)
        {
            await store.DeleteAsync(path, cancellationToken);
        }
    }

    public static Task WriteJsonAsync<T>(this IStagingStore store, string path, T value, CancellationToken cancellationToken) =>
        store.WriteJsonAsync(path, value, JsonDefaults.Options, cancellationToken);

    /// <summary>Writes a document in a given style: <see cref="JsonDefaults.Compact"/> for the per-batch files a run
    /// writes by the thousand (outcomes, snapshots), which tools read rather than people.</summary>
    public static async Task WriteJsonAsync<T>(this IStagingStore store, string path, T value, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var stream = await store.OpenWriteAsync(path, cancellationToken);
        await JsonSerializer.SerializeAsync(stream, value, options, cancellationToken);
        await stream.CommitAsync(cancellationToken);
    }

    public static async Task WriteTextAsync(this IStagingStore store, string path, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var stream = await store.OpenWriteAsync(path, cancellationToken);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await stream.CommitAsync(cancellationToken);
    }
}
