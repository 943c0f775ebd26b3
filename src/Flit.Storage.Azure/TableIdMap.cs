using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Flit.Core.Ports;
using Flit.Core.Records;

namespace Flit.Storage.Azure;

/// <summary>
/// The ID map on Table Storage. PartitionKey = migration | object type, RowKey = the source id's bucket
/// (<see cref="IdBuckets"/>) | source id (escaped, <see cref="TableKeys"/>): every query the engine makes names one object of one migration, so each is a
/// partition query, and a batch's entries share a partition, so they go in entity-group transactions of up to 100
/// (a 100,000-record migration writes its ID map in about 1,000 calls).
/// </summary>
/// <remarks>
/// Writes keep what the first write decided: an entry's operation (created or updated) and its pre-image path. The
/// first try of each group inserts; when any entity already exists (a replayed batch, a later run) the whole group
/// fails atomically, the existing entries are read, and the group is written again with their operation and
/// pre-image kept — so a replay is one entry per key, and a later run never turns "updated" into "created".
/// Look-ups read the ids of one bucket as one key range: the partition builds a batch from one bucket of its rows'
/// parent ids, so a batch's parents are a page or two. Many ids spread over a partition not much larger than them are
/// read as the whole partition; the rest go 14 a query (Table Storage allows 15 comparisons in a filter, one is the
/// partition), several queries at once.
/// </remarks>
/// <param name="tables">The account's tables.</param>
/// <param name="rangeSlack">Entries a range look-up reads beyond those asked for before it gives up (a page; tests
/// give a few).</param>
public sealed class TableIdMap(AzureTables tables, int rangeSlack = TableIdMap.RangeSlack) : IIdMap
{
    public const string TableName = "idmap";

    /// <summary>Ids per look-up query: the service refuses a filter of more than 15 comparisons.</summary>
    internal const int IdsPerQuery = 14;

    /// <summary>Actions per entity-group transaction: the service's limit.</summary>
    internal const int ActionsPerTransaction = 100;

    private const int ParallelQueries = 8;

    public async Task<IReadOnlyDictionary<string, IdMapEntry>> LookupAsync(string migrationId, string objectType, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        var table = await tables.GetAsync(TableName, cancellationToken);
        var partition = Partition(migrationId, objectType);
        var found = new ConcurrentDictionary<string, IdMapEntry>(StringComparer.Ordinal);

        // Ids of one bucket (a batch's parents: the partition grouped the batch by them) are read as one key range;
        // the ids of buckets asked little of, and of ranges holding far more than was asked, 14 a query.
        var byBucket = sourceIds.Distinct(StringComparer.Ordinal).GroupBy(IdBuckets.Of).ToList();
        // A key range is only trusted over plain ASCII keys: how the service orders other characters against .NET's
        // ordinal order is not documented.
        static bool Ranged(IGrouping<int, string> bucket) => bucket.Count() > IdsPerQuery && bucket.All(id => Ascii.IsValid(RowKey(id)));
        var scattered = new ConcurrentBag<string>(byBucket.Where(g => !Ranged(g)).SelectMany(g => g));
        var options = new ParallelOptions { MaxDegreeOfParallelism = ParallelQueries, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(byBucket.Where(Ranged), options, async (bucket, token) =>
        {
            var ids = bucket.ToList();
            if (await TryLookupRangeAsync(table, partition, bucket.Key, ids, token) is { } inRange)
            {
                foreach (var (id, entry) in inRange)
                {
                    found[id] = entry;
                }
            }
            else
            {
                foreach (var id in ids)
                {
                    scattered.Add(id);
                }
            }
        });
        var rest = scattered.Distinct(StringComparer.Ordinal).ToList();
        if (await TryScanPartitionAsync(table, partition, rest, cancellationToken) is { } scanned)
        {
            foreach (var (id, entry) in scanned)
            {
                found[id] = entry;
            }

            return new Dictionary<string, IdMapEntry>(found, StringComparer.Ordinal);
        }

        await Parallel.ForEachAsync(rest.Order(StringComparer.Ordinal).Chunk(IdsPerQuery), options, async (chunk, token) =>
        {
            var keys = string.Join(" or ", chunk.Select(id => $"RowKey eq '{TableKeys.Quote(RowKey(id))}'"));
            await foreach (var entity in table.QueryAsync<TableEntity>($"PartitionKey eq '{TableKeys.Quote(partition)}' and ({keys})", cancellationToken: token))
            {
                var entry = Read(entity);
                found[entry.SourceId] = entry;
            }
        });
        return new Dictionary<string, IdMapEntry>(found, StringComparer.Ordinal);
    }

    /// <summary>
    /// Many ids spread over a partition that is not much larger (a batch's links to a few thousand deals) cost fewer
    /// calls read as the whole partition, a page of 1,000 a call, than 14 a query. The partition's size is learnt from
    /// the scans (a complete one gives it, a given-up one a floor), so a partition too large for the ids asked is
    /// scanned at most once, and then only as far as the queries it would replace: never more than twice the calls.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, IdMapEntry>?> TryScanPartitionAsync(TableClient table, string partition, List<string> wanted, CancellationToken cancellationToken)
    {
        var queries = (wanted.Count + IdsPerQuery - 1) / IdsPerQuery;
        var budget = (long)queries * 1000;
        if (queries < 3 || (_partitionSizes.TryGetValue(partition, out var known) && known > budget))
        {
            return null;
        }

        var asked = new HashSet<string>(wanted, StringComparer.Ordinal);
        var found = new Dictionary<string, IdMapEntry>(StringComparer.Ordinal);
        long read = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>($"PartitionKey eq '{TableKeys.Quote(partition)}'", maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (++read > budget)
            {
                _partitionSizes[partition] = read;
                return null;
            }

            var entry = Read(entity);
            if (asked.Contains(entry.SourceId))
            {
                found[entry.SourceId] = entry;
            }
        }

        _partitionSizes[partition] = read;
        return found;
    }

    /// <summary>Entries each partition held when last scanned (or at least, when a scan gave up): a cost estimate,
    /// never a result.</summary>
    private readonly ConcurrentDictionary<string, long> _partitionSizes = new(StringComparer.Ordinal);

    /// <summary>
    /// The ids of one bucket read as the key range from the lowest to the highest: a page or two, where 14 ids a query
    /// would take dozens. When the range holds many more entries than were asked for (a bucket of a large object,
    /// asked for a few of its ids), it gives up after <see cref="RangeSlack"/> extra entries and returns null, and
    /// the caller asks id by id.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, IdMapEntry>?> TryLookupRangeAsync(TableClient table, string partition, int bucket, List<string> wanted, CancellationToken cancellationToken)
    {
        var keys = wanted.Select(id => RowKey(id)[BucketPrefix(bucket).Length..]).Order(StringComparer.Ordinal).ToList();
        var asked = new HashSet<string>(wanted, StringComparer.Ordinal);
        var found = new Dictionary<string, IdMapEntry>(StringComparer.Ordinal);
        var budget = wanted.Count + rangeSlack;
        var prefix = BucketPrefix(bucket);
        var filter = $"PartitionKey eq '{TableKeys.Quote(partition)}' and RowKey ge '{TableKeys.Quote(prefix + keys[0])}' and RowKey le '{TableKeys.Quote(prefix + keys[^1])}'";
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (--budget < 0)
            {
                return null;
            }

            var entry = Read(entity);
            if (asked.Contains(entry.SourceId))
            {
                found[entry.SourceId] = entry;
            }
        }

        return found;
    }

    /// <summary>Entries a range look-up reads beyond those asked for before it gives up, by default: one page.</summary>
    public const int RangeSlack = 1000;

    public async Task RecordAsync(string migrationId, IReadOnlyList<IdMapEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var table = await tables.GetAsync(TableName, cancellationToken);
        foreach (var objectEntries in entries.GroupBy(e => e.ObjectType, StringComparer.Ordinal))
        {
            // A transaction names each entity once: the last entry for a key is the one the batch means.
            var latest = objectEntries.GroupBy(e => e.SourceId, StringComparer.Ordinal).Select(g => g.Last());
            foreach (var group in latest.Chunk(ActionsPerTransaction))
            {
                await RecordGroupAsync(table, migrationId, group, cancellationToken);
            }
        }
    }

    private async Task RecordGroupAsync(TableClient table, string migrationId, IdMapEntry[] group, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(group.Select(e => new TableTransactionAction(TableTransactionActionType.Add, Entity(migrationId, e))), cancellationToken);
            return;
        }
        catch (TableTransactionFailedException e) when (e.ErrorCode == "EntityAlreadyExists" || e.Status == 409)
        {
            // Some of these were written before: keep what their first write decided.
        }

        var existing = await LookupAsync(migrationId, group[0].ObjectType, [.. group.Select(e => e.SourceId)], cancellationToken);
        var merged = group.Select(e => existing.TryGetValue(e.SourceId, out var before)
            ? e with { Operation = before.Operation, PreImagePath = before.PreImagePath ?? e.PreImagePath }
            : e);
        await table.SubmitTransactionAsync(merged.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(migrationId, e))), cancellationToken);
    }

    public IAsyncEnumerable<IdMapEntry> ListAsync(string migrationId, string? objectType, CancellationToken cancellationToken) =>
        QueryAsync(objectType is null ? TableKeys.PrefixFilter("PartitionKey", migrationId) : $"PartitionKey eq '{TableKeys.Quote(Partition(migrationId, objectType))}'", null, Read, cancellationToken);

    public async Task<long> CountAsync(string migrationId, string? objectType, CancellationToken cancellationToken)
    {
        var filter = objectType is null ? TableKeys.PrefixFilter("PartitionKey", migrationId) : $"PartitionKey eq '{TableKeys.Quote(Partition(migrationId, objectType))}'";
        long count = 0;
        await foreach (var _ in QueryAsync(filter, ["RowKey"], e => e.RowKey, cancellationToken))
        {
            count++;
        }

        return count;
    }

    public IAsyncEnumerable<(string SourceId, string? SourceDigest)> ListSourceDigestsAsync(string migrationId, string objectType, CancellationToken cancellationToken) =>
        QueryAsync($"PartitionKey eq '{TableKeys.Quote(Partition(migrationId, objectType))}'", ["RowKey", nameof(IdMapEntry.SourceDigest), LongSourceId],
            e => (SourceIdOf(e), (string?)e.GetString(nameof(IdMapEntry.SourceDigest))), cancellationToken);

    /// <summary>Deletes in groups of 100 per partition; a key that is already gone is left out and the rest retried.</summary>
    public async Task RemoveAsync(string migrationId, IReadOnlyList<(string ObjectType, string SourceId)> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var table = await tables.GetAsync(TableName, cancellationToken);
        foreach (var objectKeys in keys.GroupBy(k => k.ObjectType, StringComparer.Ordinal))
        {
            var partition = Partition(migrationId, objectKeys.Key);
            foreach (var group in objectKeys.Select(k => k.SourceId).Distinct(StringComparer.Ordinal).Chunk(ActionsPerTransaction))
            {
                var pending = group.ToList();
                while (pending.Count > 0)
                {
                    try
                    {
                        await table.SubmitTransactionAsync(pending.Select(id => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, RowKey(id)), ETag.All)), cancellationToken);
                        break;
                    }
                    catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedTransactionActionIndex is int gone)
                    {
                        pending.RemoveAt(gone);
                    }
                }
            }
        }
    }

    private async IAsyncEnumerable<T> QueryAsync<T>(string filter, IEnumerable<string>? select, Func<TableEntity, T> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: select, cancellationToken: cancellationToken))
        {
            yield return read(entity);
        }
    }

    private static string Partition(string migrationId, string objectType) => TableKeys.Join(migrationId, objectType);

    /// <summary>The source id's bucket (<see cref="IdBuckets"/>, two hex digits), then the escaped id — or, for an id
    /// whose key would pass Table Storage's 1 KiB (512 UTF-16 characters), <c>~</c> and a 128-bit hash of it, the id
    /// itself kept in the entity. Checked before anything is written, so such an id never fails the write of its
    /// batch's entries after the destination took them.</summary>
    private static string RowKey(string sourceId)
    {
        var prefix = BucketPrefix(IdBuckets.Of(sourceId));
        var escaped = TableKeys.EscapeUnbounded(sourceId);
        return prefix.Length + escaped.Length <= TableKeys.MaxKeyLength
            ? prefix + escaped
            : prefix + HashedKeyMark + Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash(System.Text.Encoding.UTF8.GetBytes(sourceId)));
    }

    /// <summary>Starts a hashed key: <see cref="TableKeys"/> escapes it in ids, so no escaped id starts with it.</summary>
    private const char HashedKeyMark = '~';

    private static string BucketPrefix(int bucket) => bucket.ToString("x2", CultureInfo.InvariantCulture) + TableKeys.Separator;

    private static string SourceIdOf(TableEntity entity) =>
        entity.RowKey.Length > 3 && entity.RowKey[3] == HashedKeyMark ? entity.GetString(LongSourceId) : TableKeys.Unescape(entity.RowKey[3..]);

    /// <summary>The id of a hashed key, in its entity.</summary>
    private const string LongSourceId = "LongSourceId";

    private static TableEntity Entity(string migrationId, IdMapEntry e) => new(Partition(migrationId, e.ObjectType), RowKey(e.SourceId))
    {
        [nameof(IdMapEntry.ObjectType)] = e.ObjectType,
        [nameof(IdMapEntry.DestinationId)] = e.DestinationId,
        [nameof(IdMapEntry.ExternalId)] = e.ExternalId,
        [nameof(IdMapEntry.Operation)] = e.Operation.ToString(),
        [nameof(IdMapEntry.ContentHash)] = e.ContentHash,
        [nameof(IdMapEntry.BatchId)] = e.BatchId,
        // Kept as round-trip text: the exact instant and offset the engine wrote, as the local store keeps them.
        [nameof(IdMapEntry.At)] = e.At.ToString("O", CultureInfo.InvariantCulture),
        [nameof(IdMapEntry.RunId)] = e.RunId,
        [nameof(IdMapEntry.PreImagePath)] = e.PreImagePath,
        [nameof(IdMapEntry.WrittenDigest)] = e.WrittenDigest,
        [nameof(IdMapEntry.SourceDigest)] = e.SourceDigest,
        [LongSourceId] = RowKey(e.SourceId)[3] == HashedKeyMark ? e.SourceId : null,
    };

    private static IdMapEntry Read(TableEntity e) => new(
        e.GetString(nameof(IdMapEntry.ObjectType)),
        SourceIdOf(e),
        e.GetString(nameof(IdMapEntry.DestinationId)),
        e.GetString(nameof(IdMapEntry.ExternalId)),
        Enum.Parse<IdMapOperation>(e.GetString(nameof(IdMapEntry.Operation))),
        e.GetString(nameof(IdMapEntry.ContentHash)),
        e.GetString(nameof(IdMapEntry.BatchId)),
        DateTimeOffset.Parse(e.GetString(nameof(IdMapEntry.At)), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        e.GetString(nameof(IdMapEntry.RunId)) ?? string.Empty,
        e.GetString(nameof(IdMapEntry.PreImagePath)),
        e.GetString(nameof(IdMapEntry.WrittenDigest)),
        e.GetString(nameof(IdMapEntry.SourceDigest)));
}
