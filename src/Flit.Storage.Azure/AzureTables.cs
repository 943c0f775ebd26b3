using System.Collections.Concurrent;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Flit.Storage.Azure;

/// <summary>The stores' tables in one account: named with the options' prefix, each created once on first use.</summary>
public sealed class AzureTables(TableServiceClient service, string prefix)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    public AzureTables(AzureStorageOptions options)
        : this(options?.CreateClients().Tables ?? throw new ArgumentNullException(nameof(options)), options.TablePrefix)
    {
    }

    /// <summary>The table (created if missing): <c>{prefix}{name}</c>.</summary>
    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken) =>
        _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(async () =>
        {
            var table = service.GetTableClient(prefix + n);
            // Not the first caller's token: a cancelled first call must not leave a failed table for every later one.
            await table.CreateIfNotExistsAsync(CancellationToken.None);
            return table;
        })).Value;
}

/// <summary>
/// Text longer than one Table Storage property holds (64 KiB, i.e. 32,768 UTF-16 characters) split over numbered
/// properties of one entity (an entity holds at most 1 MiB): journal outputs and state documents.
/// </summary>
internal static class LongText
{
    private const int PartLength = 30_000;

    /// <summary>An entity holds 1 MiB and strings are UTF-16: 15 parts (900 KB) leave room for the other properties.</summary>
    private const int MaxParts = 15;

    public static void Write(TableEntity entity, string property, string text)
    {
        var parts = (text.Length + PartLength - 1) / PartLength;
        if (parts > MaxParts)
        {
            throw new InvalidOperationException($"{property} is {text.Length:N0} characters, more than one table entity holds ({MaxParts * PartLength:N0}); keep it in the staging store and record its path.");
        }

        entity[property + "Parts"] = parts;
        for (var i = 0; i < parts; i++)
        {
            entity[$"{property}{i}"] = text.Substring(i * PartLength, Math.Min(PartLength, text.Length - (i * PartLength)));
        }
    }

    /// <summary>Characters kept in the entity itself (two properties); longer text goes to a blob.</summary>
    public const int InlineLimit = 60_000;

    /// <summary>Where an entity names the blob its text went to.</summary>
    public static string BlobProperty(string property) => property + "Blob";

    /// <summary>Puts the text in the entity, or — past <see cref="InlineLimit"/> — in the blob <paramref name="name"/>
    /// gives (uploaded before the entity is written, so the entity never names a missing blob), which the entity then
    /// names. Returns that blob, or null when the text stayed inline.</summary>
    public static async Task<BlobClient?> PutAsync(TableEntity entity, string property, string text, BlobContainerClient spill, Func<string> name, bool overwrite, CancellationToken cancellationToken)
    {
        if (text.Length <= InlineLimit)
        {
            Write(entity, property, text);
            return null;
        }

        var blob = spill.GetBlobClient(name());
        await spill.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await blob.UploadAsync(BinaryData.FromString(text), overwrite, cancellationToken);
        entity[BlobProperty(property)] = blob.Name;
        return blob;
    }

    /// <summary>The text <see cref="PutAsync"/> put, from the entity or from the blob it names.</summary>
    public static async Task<string> GetAsync(TableEntity entity, string property, BlobContainerClient spill, CancellationToken cancellationToken) =>
        entity.GetString(BlobProperty(property)) is { } name
            ? (await spill.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value.Content.ToString()
            : Read(entity, property);

    public static string Read(TableEntity entity, string property)
    {
        var parts = entity.GetInt32(property + "Parts") ?? 0;
        if (parts == 1)
        {
            return entity.GetString(property + "0") ?? string.Empty;
        }

        var builder = new StringBuilder(parts * PartLength);
        for (var i = 0; i < parts; i++)
        {
            builder.Append(entity.GetString($"{property}{i}"));
        }

        return builder.ToString();
    }
}
