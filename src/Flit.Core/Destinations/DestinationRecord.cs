using Flit.Core.Records;

namespace Flit.Core.Destinations;

/// <summary>
/// A record ready to be upserted: target model, values in destination field names, and the references that must be
/// resolved through the ID map before sending. Values are plain CLR values (string, long, double, decimal, bool,
/// <see cref="DateTime"/> in UTC, <see cref="DateOnly"/>, byte[]) or one of the lookup markers below.
/// </summary>
/// <param name="ExternalId">Deterministic external id (tenant, source system, object type, source id).</param>
/// <param name="SourceObject">Layout object name, e.g. <c>person</c>.</param>
/// <param name="SourceId">Source record id.</param>
/// <param name="TargetModel">Destination model / table, e.g. <c>res.partner</c>.</param>
/// <param name="Values">Field values by destination field name.</param>
/// <param name="References">Links to other migrated records, resolved through the ID map at load time.</param>
/// <param name="ContentHash">Hash of the mapped content: drives delta pickup and change detection.</param>
/// <param name="Location">Where the source record is, for failure reports.</param>
public sealed record DestinationRecord(
    string ExternalId,
    string SourceObject,
    string SourceId,
    string TargetModel,
    IReadOnlyDictionary<string, object?> Values,
    IReadOnlyList<RecordReference> References,
    string ContentHash,
    SourceLocation Location);

/// <summary>A link from a field to another migrated record, known by its source object and id.</summary>
/// <param name="Field">Destination field, e.g. <c>parent_id</c>.</param>
/// <param name="SourceObject">Object of the referenced record.</param>
/// <param name="SourceId">Source id of the referenced record.</param>
/// <param name="Required">When true the record cannot be loaded without it (it goes to the retry pass, then fails).</param>
public sealed record RecordReference(string Field, string SourceObject, string SourceId, bool Required);

/// <summary>A value that names a destination record by its display name (stage, team, tag, lost reason, country).</summary>
public sealed record NamedLookup(string Model, string Name)
{
    /// <summary>Reference data the destination owns (countries, states, models): looked up, never created; a name it
    /// does not know leaves the field empty with a warning instead of failing the record.</summary>
    public static IReadOnlySet<string> FindOnlyModels { get; } = new HashSet<string>(StringComparer.Ordinal) { "res.country", "res.country.state", "ir.model", "res.users" };

    public bool IsFindOnly => FindOnlyModels.Contains(Model);
}

/// <summary>A value that is a file of the export (attachment bytes), by its path relative to the export folder;
/// the load reads it just before sending, so batch files stay small.</summary>
public sealed record FileContent(string RelativePath);

/// <summary>A value that names a destination user by email (owners, assignees).</summary>
public sealed record UserLookup(string Email);

/// <summary>
/// What the migration did to one record, relative to the destination as it was before the migration: a record
/// the migration created reports <see cref="Created"/> again when a repeated call (resume, re-run) finds it, so
/// the ID map and rollback keep treating it as ours; a record that existed before reports <see cref="Updated"/>
/// or <see cref="Unchanged"/>.
/// </summary>
public enum UpsertStatus
{
    Created,
    Updated,
    Unchanged,
    Failed,
}

/// <summary>The outcome of one record's upsert.</summary>
/// <param name="ExternalId">The record's external id.</param>
/// <param name="Status">Created, updated, unchanged or failed.</param>
/// <param name="DestinationId">Destination id when written.</param>
/// <param name="Error">The destination's own message when failed.</param>
/// <param name="MissingParent">True when the failure is a missing parent: the retry pass tries it again.</param>
/// <param name="Warning">What the destination changed about the record to keep other data intact, for the report.</param>
public sealed record UpsertOutcome(
    string ExternalId,
    UpsertStatus Status,
    string? DestinationId,
    string? Error = null,
    bool MissingParent = false,
    string? Warning = null);

/// <summary>One record a rollback undoes: delete what the migration created, restore what it updated.</summary>
/// <param name="Model">Destination model.</param>
/// <param name="DestinationId">Destination id.</param>
/// <param name="ExternalId">The record's external id.</param>
/// <param name="Created">True when the migration created it (delete), false when it updated it (restore).</param>
/// <param name="WrittenAt">When the migration last wrote it: a later change in the destination is a conflict.</param>
/// <param name="PreImage">For updated records: the values to restore.</param>
public sealed record RollbackItem(string Model, string DestinationId, string ExternalId, bool Created, DateTimeOffset WrittenAt, IReadOnlyDictionary<string, object?>? PreImage);

/// <summary>What a rollback did, and what it left alone because someone changed it after the migration's write.</summary>
/// <param name="Deleted">Records the migration had created, deleted.</param>
/// <param name="Restored">Records that existed before the migration, given back their pre-images.</param>
/// <param name="Conflicts">What was left alone, and why.</param>
/// <param name="Failures">What the destination refused to undo, with its message.</param>
/// <param name="DroppedFields">Custom fields the migration had created, removed once none of its records needed them.</param>
public sealed record RollbackOutcome(int Deleted, int Restored, IReadOnlyList<string> Conflicts, IReadOnlyList<string> Failures, int DroppedFields = 0);
