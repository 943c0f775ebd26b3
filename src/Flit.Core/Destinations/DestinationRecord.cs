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
/// <param name="AlsoIn">Other objects the parent can be, comma-separated: entries that read the same export object
/// (a FOIA request is a row of ArkCase's case table, loaded as its own entry), so a note on it finds it whichever
/// entry loaded it.</param>
public sealed record RecordReference(string Field, string SourceObject, string SourceId, bool Required, string? AlsoIn = null)
{
    /// <summary>Every object the referenced record can be, the named one first.</summary>
    public IEnumerable<string> Objects => AlsoIn is null ? [SourceObject] : [SourceObject, .. AlsoIn.Split(',')];
}

/// <summary>A value that names a destination record by its display name (stage, team, tag, lost reason, country), or —
/// <see cref="ByExternalId"/> — by the external id the destination's own data gives it (Odoo's <c>mail.mt_note</c>:
/// names are translated, external ids are not).</summary>
public sealed record NamedLookup(string Model, string Name, bool ByExternalId = false)
{
    /// <summary>Reference data the destination owns (countries, states, models, message subtypes): looked up, never
    /// created; a name it does not know leaves the field empty with a warning instead of failing the record.</summary>
    public static IReadOnlySet<string> FindOnlyModels { get; } = new HashSet<string>(StringComparer.Ordinal) { "res.country", "res.country.state", "ir.model", "res.users", "mail.message.subtype" };

    public bool IsFindOnly => ByExternalId || FindOnlyModels.Contains(Model);
}

/// <summary>A value that is a file of the export (attachment bytes), by its path relative to the export folder;
/// the load reads it just before sending, so batch files stay small.</summary>
/// <param name="RelativePath">Path inside the export, as the row gives it.</param>
/// <param name="TypeField">The record's field for the file's MIME type: set from the content where the content's
/// signature contradicts the declared type.</param>
/// <param name="NameField">The record's field for the file name: given the extension its type implies when it has none.</param>
public sealed record FileContent(string RelativePath, string? TypeField = null, string? NameField = null);

/// <summary>
/// A file's content, read just before its record is sent. Destinations take files as base64 text (Odoo's binary
/// fields, Dataverse's documentbody); each writes that text straight from <see cref="Bytes"/> into the request, so
/// a file is held once — not as bytes, then as text, then as the body.
/// </summary>
public sealed class FileBytes(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes ?? throw new ArgumentNullException(nameof(bytes));

    /// <summary>The base64 text, made on demand (a destination without a streaming writer).</summary>
    public override string ToString() => Convert.ToBase64String(Bytes);
}

/// <summary>A value that names a destination user by email (owners, assignees); <see cref="AsPartner"/>: the user's
/// contact record instead (a message's author), which a missing user leaves empty rather than failing the record.</summary>
public sealed record UserLookup(string Email, bool AsPartner = false);

/// <summary>
/// What the destination did to one record in this call: created it, or wrote a record that was already there
/// (under its external id, or matched another way). Whether the record belongs to the migration is not the
/// destination's call: the load decides it from the migration's ID map and the snapshot it stored before the first
/// write, so a record a previous migration created is never mistaken for one this run created.
/// </summary>
public enum UpsertStatus
{
    Created,
    Updated,
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
    RecordIssue? Warning = null);

/// <summary>What a destination record held before the migration first wrote it: the values a rollback restores.</summary>
/// <param name="Values">Field values in the form the destination's write takes back.</param>
/// <param name="ExternalIdExisted">Whether the record already carried the run's external id (e.g. an earlier migration of
/// the tenant created it); when false the migration registered it (an e-mail match) and a rollback removes it again.</param>
/// <param name="ModifiedAt">When the destination last changed the record (Odoo's <c>write_date</c>), where it says: a
/// change after the migration's own write is someone else's edit, which a later run must not overwrite silently.</param>
public sealed record PreImage(IReadOnlyDictionary<string, object?> Values, bool ExternalIdExisted, DateTimeOffset? ModifiedAt = null);

/// <summary>One record a rollback undoes: delete what the migration created, restore what it updated.</summary>
/// <param name="Model">Destination model.</param>
/// <param name="DestinationId">Destination id.</param>
/// <param name="ExternalId">The record's external id.</param>
/// <param name="Created">True when the migration created it (delete), false when it updated it (restore).</param>
/// <param name="WrittenAt">When the migration last wrote it: a later change in the destination is a conflict.</param>
/// <param name="PreImage">For updated records: what to restore.</param>
public sealed record RollbackItem(string Model, string DestinationId, string ExternalId, bool Created, DateTimeOffset WrittenAt, PreImage? PreImage);

/// <summary>A rollback of one migration.</summary>
/// <param name="Items">What to undo, children before parents.</param>
/// <param name="Force">Also undo records changed in the destination after the migration's write.</param>
/// <param name="OwnerTag">The migration's tag: what its prepare step created (custom fields, stages, teams...) is
/// registered under it, and only that is removed, never what another migration of the tenant created.</param>
/// <param name="Final">The last request of the rollback: after its items, what the prepare step created is removed
/// (a rollback of millions of records comes in many requests of a chunk each).</param>
/// <param name="Models">With <paramref name="Final"/>: every model the migration wrote (what may still use a stage).</param>
/// <param name="ExternalIdModule">With <paramref name="Final"/>: the module of the run's external ids, under which its
/// prepare step registered what it created.</param>
/// <param name="WithinMigration">The pre-images were taken within the migration (undoing one delta pass): they hold
/// the values of the custom fields the migration created, which are restored like any other, not emptied.</param>
public sealed record RollbackRequest(IReadOnlyList<RollbackItem> Items, bool Force, string OwnerTag, bool Final = true, IReadOnlyList<string>? Models = null, string? ExternalIdModule = null, bool WithinMigration = false);

/// <summary>What a rollback did, and what it left alone because someone changed it after the migration's write.</summary>
/// <param name="Deleted">Records the migration had created, deleted.</param>
/// <param name="Restored">Records that existed before the migration, given back their pre-images.</param>
/// <param name="Conflicts">What was left alone, and why.</param>
/// <param name="Failures">What the destination refused to undo, with its message.</param>
/// <param name="DroppedFields">Custom fields the migration had created, removed once none of its records needed them.</param>
/// <param name="LeftAlone">External ids of the records left as they are (conflicts, failures): the migration keeps them.</param>
public sealed record RollbackOutcome(int Deleted, int Restored, IReadOnlyList<string> Conflicts, IReadOnlyList<string> Failures, int DroppedFields = 0, IReadOnlyList<string>? LeftAlone = null);
