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

    /// <summary>The e-mails of the destination's users (active ones), which owners are matched by; null when the
    /// destination does not know them (a rehearsal given no users).</summary>
    Task<IReadOnlyCollection<string>?> ListUserEmailsAsync(CancellationToken cancellationToken);

    /// <summary>Creates what the approved plan needs before data: custom fields, stages, teams, tags; resolves owners.</summary>
    Task<PrepareOutcome> PrepareAsync(PreparePlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// What the batch's records hold now, by external id, for those that already exist in the destination — under
    /// their external id (an earlier migration of the tenant may have created them) or matched another way (e.g.
    /// partners by e-mail, never the destination's own users or companies). Records left out do not exist yet. The
    /// caller stores this before calling <see cref="UpsertAsync"/>, so a crash between the write and its bookkeeping
    /// can lose neither a pre-image nor the fact that a record was new.
    /// </summary>
    Task<IReadOnlyDictionary<string, PreImage>> SnapshotAsync(
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
    /// pre-images of updated ones, then removes what the migration's prepare step created under its owner tag. A record
    /// changed in the destination after <see cref="RollbackItem.WrittenAt"/> is reported as a conflict and left alone
    /// unless forced.
    /// </summary>
    Task<RollbackOutcome> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken);

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
/// <param name="OwnerTag">The migration's tag, part of the external id of everything the plan creates, so that a
/// rollback removes only what this migration created, never what another migration of the tenant did.</param>
/// <param name="AuthorEmails">Message authors: matched to users' contact records where they are users; one that is
/// not is no owner problem (the message keeps the address).</param>
public sealed record PreparePlan(
    IReadOnlyList<CustomFieldPlan> CustomFields,
    IReadOnlyList<NamedLookup> NamedRecords,
    IReadOnlyCollection<string> OwnerEmails,
    string? FallbackOwnerEmail,
    string? ExternalIdModule,
    string OwnerTag,
    IReadOnlyCollection<string>? AuthorEmails = null);

/// <summary>Ids the load needs: named records and users by email; plus owners that matched no user.</summary>
/// <param name="NamedRecordIds">Named records by <see cref="Key"/>.</param>
/// <param name="UserIdsByEmail">Users by <see cref="UserKey"/> (unmatched owners map to the fallback user when one is set).</param>
/// <param name="UnmatchedOwners">Owner e-mails that match no destination user.</param>
/// <param name="CreatedCustomFields">Custom fields created now (<c>model.field</c>).</param>
/// <param name="UserPartnerIdsByEmail">The contact record of each matched user (Odoo's res.users.partner_id), for
/// message authors; empty where the destination has no such record.</param>
/// <param name="FallbackOwnerProblem">Why the fallback owner cannot be used (not a destination user), when it cannot.</param>
public sealed record PrepareOutcome(
    IReadOnlyDictionary<string, string> NamedRecordIds,
    IReadOnlyDictionary<string, string> UserIdsByEmail,
    IReadOnlyList<string> UnmatchedOwners,
    IReadOnlyList<string> CreatedCustomFields,
    IReadOnlyDictionary<string, string>? UserPartnerIdsByEmail = null,
    string? FallbackOwnerProblem = null)
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

/// <summary>A destination user as matched by e-mail: the user's id and, where the destination has one, its contact record.</summary>
public sealed record DestinationUser(string Id, string? PartnerId);

/// <summary>
/// Owners resolved against the destination's users, the same way for every destination: by e-mail, case-insensitively;
/// an owner without a user goes to the fallback user when one is set, else it is listed as unmatched. A fallback that is
/// not a destination user is reported, not thrown: the run stops before loading and says so.
/// </summary>
public static class OwnerMatching
{
    public static PrepareOutcome Resolve(
        PreparePlan plan,
        IReadOnlyDictionary<string, DestinationUser> usersByKey,
        IReadOnlyDictionary<string, string> namedRecordIds,
        IReadOnlyList<string> createdCustomFields)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(usersByKey);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        var partners = new Dictionary<string, string>(StringComparer.Ordinal);
        DestinationUser? fallback = null;
        string? problem = null;
        if (plan.FallbackOwnerEmail is { } fallbackEmail)
        {
            if (usersByKey.TryGetValue(PrepareOutcome.UserKey(fallbackEmail), out fallback))
            {
                resolved[PrepareOutcome.UserKey(fallbackEmail)] = fallback.Id;
            }
            else
            {
                problem = $"The fallback owner '{fallbackEmail}' is not a user of the destination: give the e-mail of an existing user, or create that user first.";
            }
        }

        foreach (var email in plan.AuthorEmails ?? [])
        {
            if (usersByKey.TryGetValue(PrepareOutcome.UserKey(email), out var author) && author.PartnerId is { } partner)
            {
                partners[PrepareOutcome.UserKey(email)] = partner;
            }
        }

        var unmatched = new List<string>();
        foreach (var email in plan.OwnerEmails)
        {
            var key = PrepareOutcome.UserKey(email);
            if (usersByKey.TryGetValue(key, out var user))
            {
                resolved[key] = user.Id;
                if (user.PartnerId is { } partner)
                {
                    partners[key] = partner;
                }
            }
            else
            {
                unmatched.Add(email);
                if (fallback is not null)
                {
                    resolved[key] = fallback.Id;
                }
            }
        }

        return new PrepareOutcome(namedRecordIds, resolved, unmatched, createdCustomFields, partners, problem);
    }
}

/// <summary>A record as the destination holds it, by external id.</summary>
public sealed record ReadBackRecord(string ExternalId, string DestinationId, IReadOnlyDictionary<string, object?> Values);
