namespace Flit.Core.Ports;

/// <summary>How a record reached the destination.</summary>
public enum IdMapOperation
{
    Created,
    Updated,
}

/// <summary>One line of the migration's memory: a source record and the destination record it became.</summary>
/// <param name="ObjectType">Mapping object key.</param>
/// <param name="SourceId">Source record id.</param>
/// <param name="DestinationId">Destination record id.</param>
/// <param name="ExternalId">The record's external id.</param>
/// <param name="Operation">Whether the migration created the record (its rollback deletes it) or updated one that was
/// there before (its rollback restores the pre-image); decided at the first write and kept by every later one.</param>
/// <param name="ContentHash">Hash of the mapped content last written: an equal hash on a later run means unchanged.</param>
/// <param name="BatchId">Batch that last wrote it.</param>
/// <param name="At">When the migration last wrote it (a later change in the destination is someone else's).</param>
/// <param name="RunId">The run (attempt) that last wrote it: a resumed run re-sends its own records; a later run
/// leaves unchanged ones alone.</param>
/// <param name="PreImagePath">For updated records: the staged snapshot holding the values from before the first write.</param>
/// <param name="WrittenDigest">Digest of the values last written, in the destination's form: a later run compares the
/// destination's current values with it to tell an edit made there from the migration's own write.</param>
/// <param name="SourceDigest">Digest of the source row last written (its values and the spec's hash): a delta pass
/// counts a row of a newer export with the same digest unchanged without mapping it.</param>
public sealed record IdMapEntry(
    string ObjectType,
    string SourceId,
    string DestinationId,
    string ExternalId,
    IdMapOperation Operation,
    string ContentHash,
    string BatchId,
    DateTimeOffset At,
    string RunId = "",
    string? PreImagePath = null,
    string? WrittenDigest = null,
    string? SourceDigest = null);

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

    /// <summary>The source digest of every record of one object (none for entries written before digests were kept):
    /// what a delta pass compares the rows of a newer export with. Two columns a record, a page at a time.</summary>
    IAsyncEnumerable<(string SourceId, string? SourceDigest)> ListSourceDigestsAsync(string migrationId, string objectType, CancellationToken cancellationToken);

    /// <summary>Forgets records a rollback undid, so a later run creates them again.</summary>
    Task RemoveAsync(string migrationId, IReadOnlyList<(string ObjectType, string SourceId)> keys, CancellationToken cancellationToken);
}
