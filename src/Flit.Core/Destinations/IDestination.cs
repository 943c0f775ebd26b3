namespace Flit.Core.Destinations;

/// <summary>
/// A CRM the engine writes to. Implementations upsert by external id so that re-running a batch never duplicates,
/// and return one outcome per record (failures are outcomes with the destination's message, not exceptions).
/// </summary>
public interface IDestination : IAsyncDisposable
{
    /// <summary>Short kind: <c>odoo</c>, <c>dataverse</c>, <c>rehearsal</c>.</summary>
    string Kind { get; }

    /// <summary>Fields the destination has for the given models, so mappings adapt to the server.</summary>
    Task<DestinationSchema> DescribeAsync(IReadOnlyCollection<string> models, CancellationToken cancellationToken);

    /// <summary>Creates what the approved plan needs before data: custom fields, stages, teams, tags; resolves owners.</summary>
    Task<PrepareOutcome> PrepareAsync(PreparePlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// The current values, by external id, of the batch's records that an upsert would update although the migration
    /// did not create them (records that existed before it, e.g. partners matched by e-mail): the pre-images a
    /// rollback restores. The caller stores them before calling <see cref="UpsertAsync"/>, so a crash between the
    /// write and its bookkeeping cannot lose them; records already written by the migration are left out.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>>> SnapshotAsync(
        string model,
        IReadOnlyList<DestinationRecord> batch,
        CancellationToken cancellationToken);

    /// <summary>Upserts one batch of records of one model. References are already resolved to destination ids.</summary>
    Task<IReadOnlyList<UpsertOutcome>> UpsertAsync(
        string model,
        IReadOnlyList<DestinationRecord> batch,
        CancellationToken cancellationToken);

    /// <summary>
    /// Undoes a run, items in the order given (children before parents): deletes created records and restores the
    /// pre-images of updated ones. A record changed in the destination after <see cref="RollbackItem.WrittenAt"/> is
    /// reported as a conflict and left alone unless <paramref name="force"/>.
    /// </summary>
    Task<RollbackOutcome> RollbackAsync(IReadOnlyList<RollbackItem> items, bool force, CancellationToken cancellationToken);

    /// <summary>Reads records back by external id (reconciliation and the field-level diff); records that do not
    /// exist are left out; an empty <paramref name="fields"/> checks presence only.</summary>
    Task<IReadOnlyList<ReadBackRecord>> ReadBackAsync(
        string model,
        IReadOnlyCollection<string> externalIds,
        IReadOnlyCollection<string> fields,
        CancellationToken cancellationToken);
}

/// <summary>Fields per model as the destination reports them.</summary>
public sealed record DestinationSchema(IReadOnlyDictionary<string, IReadOnlyDictionary<string, DestinationField>> Models)
{
    public bool HasField(string model, string field) =>
        Models.TryGetValue(model, out var fields) && fields.ContainsKey(field);
}

/// <summary>One destination field.</summary>
public sealed record DestinationField(string Name, string Type, bool Required, string? Relation = null, IReadOnlyList<string>? SelectionValues = null);

/// <summary>A custom field to create before data.</summary>
public sealed record CustomFieldPlan(string Model, string Name, string Type, string Label, IReadOnlyList<string>? SelectionValues = null);

/// <summary>What the destination must hold before the first record moves.</summary>
/// <param name="CustomFields">Custom fields to create (in one batch).</param>
/// <param name="NamedRecords">Named records to find or create, e.g. stages, teams, tags.</param>
/// <param name="OwnerEmails">Owner emails to resolve against the destination's users.</param>
/// <param name="FallbackOwnerEmail">User that receives records whose owner has no destination user, when set.</param>
/// <param name="ExternalIdModule">The module of the run's external ids: what the destination creates for the plan is
/// registered under it too, so a rollback can find and remove it.</param>
public sealed record PreparePlan(
    IReadOnlyList<CustomFieldPlan> CustomFields,
    IReadOnlyList<NamedLookup> NamedRecords,
    IReadOnlyCollection<string> OwnerEmails,
    string? FallbackOwnerEmail,
    string? ExternalIdModule = null);

/// <summary>Ids the load needs: named records and users by email; plus owners that matched no user.</summary>
public sealed record PrepareOutcome(
    IReadOnlyDictionary<string, string> NamedRecordIds,
    IReadOnlyDictionary<string, string> UserIdsByEmail,
    IReadOnlyList<string> UnmatchedOwners,
    IReadOnlyList<string> CreatedCustomFields)
{
    /// <summary>Key for <see cref="NamedRecordIds"/>: <c>model|name</c>, name compared case-insensitively.</summary>
    public static string Key(NamedLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return lookup.Model + "|" + lookup.Name.Trim().ToUpperInvariant();
    }

    /// <summary>Key for <see cref="UserIdsByEmail"/>: the email trimmed and upper-cased (emails match case-insensitively).</summary>
    public static string UserKey(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToUpperInvariant();
    }
}

/// <summary>A record as the destination holds it, by external id.</summary>
public sealed record ReadBackRecord(string ExternalId, string DestinationId, IReadOnlyDictionary<string, object?> Values);
