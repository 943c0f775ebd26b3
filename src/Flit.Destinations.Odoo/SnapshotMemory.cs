using System.Collections.Concurrent;

namespace Flit.Destinations.Odoo;

/// <summary>
/// What a snapshot learned about its records, handed to the upsert of the same records that follows it, so the upsert
/// does not ask Odoo again: whether each xmlid exists (and its record), which existing partner each record matched by
/// e-mail, and the contact values of each lead's partner. Each entry is taken once, by the upsert; what a rollback
/// changes is forgotten with <see cref="Clear"/>.
/// </summary>
internal sealed class SnapshotMemory
{
    private readonly ConcurrentDictionary<(string Model, string ExternalId), long?> _records = new();
    private readonly ConcurrentDictionary<string, PartnerMatch> _partnerMatches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LeadContact> _leadContacts = new(StringComparer.Ordinal);

    /// <summary>The xmlids looked up, each with its record's id or none.</summary>
    public void RememberRecords(string model, IEnumerable<string> externalIds, IReadOnlyDictionary<string, long> existing)
    {
        foreach (var externalId in externalIds)
        {
            _records[(model, externalId)] = existing.TryGetValue(externalId, out var id) ? id : null;
        }
    }

    /// <summary>Takes what is remembered for these xmlids: the records found (into <paramref name="existing"/>) and the
    /// xmlids nothing is remembered for.</summary>
    public List<string> TakeRecords(string model, IEnumerable<string> externalIds, Dictionary<string, long> existing)
    {
        var unknown = new List<string>();
        foreach (var externalId in externalIds.Distinct(StringComparer.Ordinal))
        {
            if (!_records.TryRemove((model, externalId), out var id))
            {
                unknown.Add(externalId);
            }
            else if (id is { } found)
            {
                existing[externalId] = found;
            }
        }

        return unknown;
    }

    public void RememberPartnerMatches(IEnumerable<string> externalIds, IReadOnlyDictionary<string, long> matched, IReadOnlyDictionary<string, string> heldBy)
    {
        foreach (var externalId in externalIds)
        {
            _partnerMatches[externalId] = new PartnerMatch(matched.TryGetValue(externalId, out var id) ? id : null, heldBy.GetValueOrDefault(externalId));
        }
    }

    public bool TakePartnerMatch(string externalId, out PartnerMatch match) => _partnerMatches.TryRemove(externalId, out match);

    public void RememberLeadContact(string externalId, LeadContact contact) => _leadContacts[externalId] = contact;

    public bool TakeLeadContact(string externalId, out LeadContact contact) => _leadContacts.TryRemove(externalId, out contact);

    public void Clear()
    {
        _records.Clear();
        _partnerMatches.Clear();
        _leadContacts.Clear();
    }
}

/// <summary>The existing partner a record matched by e-mail, or who holds its e-mail when only a user's or a company's
/// partner does; neither when it matched nothing.</summary>
internal readonly record struct PartnerMatch(long? PartnerId, string? HeldBy);

/// <summary>A lead's partner and the e-mail and phone it holds.</summary>
internal readonly record struct LeadContact(long PartnerId, string? Email, string? Phone);
