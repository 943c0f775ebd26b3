namespace Flit.Core.Ports;

/// <summary>How a record reached the destination.</summary>
public enum IdMapOperation
{
    Created,
    Updated,
}

/// <summary>One line of the run's memory: a source record and the destination record it became.</summary>
public sealed record IdMapEntry(
    string ObjectType,
    string SourceId,
    string DestinationId,
    string ExternalId,
    IdMapOperation Operation,
    string ContentHash,
    string BatchId,
    DateTimeOffset At);

/// <summary>
/// (migration, object type, source id) → destination id. Writes are batched: one call per batch of records.
/// </summary>
public interface IIdMap
{
    Task<IReadOnlyDictionary<string, IdMapEntry>> LookupAsync(
        string migrationId,
        string objectType,
        IReadOnlyCollection<string> sourceIds,
        CancellationToken cancellationToken);

    /// <summary>Records a batch atomically; an existing entry for the same key is replaced.</summary>
    Task RecordAsync(string migrationId, IReadOnlyList<IdMapEntry> entries, CancellationToken cancellationToken);

    IAsyncEnumerable<IdMapEntry> ListAsync(string migrationId, string? objectType, CancellationToken cancellationToken);

    Task<long> CountAsync(string migrationId, string? objectType, CancellationToken cancellationToken);

    /// <summary>Forgets records a rollback undid, so a later run creates them again.</summary>
    Task RemoveAsync(string migrationId, IReadOnlyList<(string ObjectType, string SourceId)> keys, CancellationToken cancellationToken);
}
