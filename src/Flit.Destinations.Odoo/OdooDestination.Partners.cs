using System.Globalization;
using Flit.Core.Destinations;
using Flit.Core.Records;

namespace Flit.Destinations.Odoo;

/// <summary>Pre-images, and existing partners matched by e-mail — never the partners of Odoo's users or companies.</summary>
public sealed partial class OdooDestination
{
    /// <summary>Magic fields a write cannot set back (facts #5) and the computed display name.</summary>
    private static readonly HashSet<string> Unrestorable = new(StringComparer.Ordinal) { "id", "display_name", "create_date", "write_date", "create_uid", "write_uid", "__last_update" };

    /// <summary>res.company's partners, once per destination: Odoo's own companies (facts #17).</summary>
    private IReadOnlySet<long>? _companyPartners;

    public async Task<IReadOnlyDictionary<string, PreImage>> SnapshotAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);

        // Under their xmlid (an earlier migration of the tenant, or an earlier run of this one), or, for partners, an
        // existing contact with the same e-mail.
        // What is learned here is remembered for the upsert of the same records, which then asks Odoo nothing again.
        var existing = await ExistingAsync(model, [.. batch.Select(r => r.ExternalId)], cancellationToken);
        _memory.RememberRecords(model, batch.Select(r => r.ExternalId), existing);
        var matched = new Dictionary<string, long>(StringComparer.Ordinal);
        if (model == "res.partner")
        {
            var unmatched = batch.Where(r => !existing.ContainsKey(r.ExternalId)).ToList();
            (matched, var heldBy) = await MatchPartnersByEmailAsync(unmatched, [], cancellationToken);
            _memory.RememberPartnerMatches(unmatched.Select(r => r.ExternalId), matched, heldBy);
        }
        else if (model == "crm.lead")
        {
            await RememberLeadContactsAsync(batch, cancellationToken);
        }

        if (existing.Count == 0 && matched.Count == 0)
        {
            return new Dictionary<string, PreImage>(StringComparer.Ordinal);
        }

        // One read for the whole chunk, of every stored field, in the form write() takes back.
        var fields = await FieldsAsync(model, refresh: false, cancellationToken);
        var stored = _stored.GetValueOrDefault(model) ?? [.. fields.Keys];
        var names = fields.Values
            .Where(f => f.Type is not ("one2many" or "binary") && !Unrestorable.Contains(f.Name) && stored.Contains(f.Name))
            .Select(f => (object?)f.Name).Append("write_date").ToList();
        var ids = existing.Values.Concat(matched.Values).Distinct().Select(id => (object?)id).ToList();
        var rows = ((List<object?>)(await client.ExecuteKwAsync(model, "read", [ids, names], ArchivedToo(), cancellationToken))!)
            .OfType<IReadOnlyDictionary<string, object?>>().ToDictionary(r => OdooValues.Integer(r["id"]) ?? 0);

        var result = new Dictionary<string, PreImage>(StringComparer.Ordinal);
        foreach (var (externalId, id, underXmlId) in existing.Select(e => (e.Key, e.Value, true)).Concat(matched.Select(m => (m.Key, m.Value, false))))
        {
            if (rows.TryGetValue(id, out var row))
            {
                var values = row.Where(v => !Unrestorable.Contains(v.Key) && fields.ContainsKey(v.Key)).ToDictionary(v => v.Key, v => OdooValues.FromRead(fields[v.Key], v.Value), StringComparer.Ordinal);
                result[externalId] = new PreImage(values, underXmlId, OdooValues.WriteDate(row.GetValueOrDefault("write_date")));
            }
        }

        return result;
    }

    /// <summary>
    /// Partners that already exist in Odoo with the same e-mail (and are not records of this migration's tenant) are
    /// updated, not duplicated; their pre-images were taken by <see cref="SnapshotAsync"/> before this call. A record
    /// whose e-mail is a user's or a company's is created as a contact of its own, with a warning saying why.
    /// </summary>
    private async Task<List<DestinationRecord>> UpdateMatchedPartnersAsync(IReadOnlyDictionary<string, DestinationField> fields, List<DestinationRecord> records, List<UpsertOutcome> outcomes, Dictionary<string, RecordIssue> warnings, CancellationToken cancellationToken)
    {
        var (matched, protectedMatches) = await RememberedOrMatchedPartnersAsync(records, cancellationToken);
        var remaining = new List<DestinationRecord>();
        foreach (var record in records)
        {
            if (matched.TryGetValue(record.ExternalId, out var id))
            {
                var outcome = await WriteOneAsync("res.partner", fields, record, id, UpsertStatus.Updated, cancellationToken);
                if (outcome.Status != UpsertStatus.Failed)
                {
                    await RegisterMatchAsync(record, id, cancellationToken);
                }

                outcomes.Add(outcome);
                continue;
            }

            if (protectedMatches.TryGetValue(record.ExternalId, out var owner))
            {
                warnings[record.ExternalId] = new RecordIssue(IssueKinds.DestinationAdjusted, "email", $"{record.Location}: the e-mail '{record.Values.GetValueOrDefault("email")}' belongs to {owner} in Odoo, which a migration never changes: created as a contact of its own.");
            }

            remaining.Add(record);
        }

        return remaining;
    }

    /// <summary>The snapshot's e-mail matches of these records; the records no snapshot matched are matched now.</summary>
    private async Task<(Dictionary<string, long> Matched, Dictionary<string, string> Protected)> RememberedOrMatchedPartnersAsync(IReadOnlyList<DestinationRecord> records, CancellationToken cancellationToken)
    {
        var matched = new Dictionary<string, long>(StringComparer.Ordinal);
        var protectedMatches = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknown = new List<DestinationRecord>();
        foreach (var record in records)
        {
            if (!_memory.TakePartnerMatch(record.ExternalId, out var match))
            {
                unknown.Add(record);
            }
            else if (match.PartnerId is { } id)
            {
                matched[record.ExternalId] = id;
            }
            else if (match.HeldBy is { } holder)
            {
                protectedMatches[record.ExternalId] = holder;
            }
        }

        if (unknown.Count > 0)
        {
            var (more, moreProtected) = await MatchPartnersByEmailAsync(unknown, [.. matched.Values], cancellationToken);
            foreach (var (externalId, id) in more)
            {
                matched[externalId] = id;
            }

            foreach (var (externalId, holder) in moreProtected)
            {
                protectedMatches[externalId] = holder;
            }
        }

        return (matched, protectedMatches);
    }

    /// <summary>
    /// The existing partner each record matches by e-mail (case-insensitive; first come, first served; none of those
    /// <paramref name="claimed"/> already). Never matched:
    /// partners carrying an xmlid of the tenant's module (records of a migration, matched by their xmlid instead), the
    /// partners of Odoo users — archived ones too — and of companies (facts #17); records whose e-mail only such a
    /// partner holds are returned with who holds it.
    /// </summary>
    private async Task<(Dictionary<string, long> Matched, Dictionary<string, string> Protected)> MatchPartnersByEmailAsync(IReadOnlyList<DestinationRecord> records, HashSet<long> claimed, CancellationToken cancellationToken)
    {
        var matched = new Dictionary<string, long>(StringComparer.Ordinal);
        var protectedMatches = new Dictionary<string, string>(StringComparer.Ordinal);
        var emails = records.Select(r => r.Values.GetValueOrDefault("email") as string).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (emails.Count == 0)
        {
            return (matched, protectedMatches);
        }

        var candidates = await SearchReadAsync("res.partner", [["email", "in", emails]], ["id", "email", "user_ids", "name"], cancellationToken);
        if (candidates.Count == 0)
        {
            return (matched, protectedMatches);
        }

        var companies = _companyPartners ??= (await SearchReadAsync("res.company", [], ["partner_id"], cancellationToken))
            .Select(c => OdooValues.Integer(c["partner_id"] is IList<object?> { Count: > 0 } pair ? pair[0] : null)).OfType<long>().ToHashSet();
        var modules = records.Select(r => Split(r.ExternalId).Module).Distinct(StringComparer.Ordinal).Select(m => (object?)m).ToList();
        var ours = (await SearchReadAsync("ir.model.data", [["model", "=", "res.partner"], ["module", "in", modules], ["res_id", "in", candidates.Select(c => c["id"]).ToList()]], ["res_id"], cancellationToken))
            .Select(x => OdooValues.Integer(x["res_id"])).OfType<long>().ToHashSet();

        var byEmail = new Dictionary<string, long>(StringComparer.Ordinal);
        var heldBy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var candidate in candidates.OrderBy(c => OdooValues.Integer(c["id"])))
        {
            if (candidate["email"] is not string email || OdooValues.Integer(candidate["id"]) is not { } id || ours.Contains(id))
            {
                continue;
            }

            var key = email.ToUpperInvariant();
            if (candidate.GetValueOrDefault("user_ids") is IList<object?> { Count: > 0 })
            {
                heldBy.TryAdd(key, $"the Odoo user '{candidate.GetValueOrDefault("name")}'");
            }
            else if (companies.Contains(id))
            {
                heldBy.TryAdd(key, $"the company '{candidate.GetValueOrDefault("name")}'");
            }
            else
            {
                byEmail.TryAdd(key, id);
            }
        }

        foreach (var record in records)
        {
            if (record.Values.GetValueOrDefault("email") is not string email)
            {
                continue;
            }

            var key = email.ToUpperInvariant();
            if (byEmail.TryGetValue(key, out var id) && claimed.Add(id))
            {
                matched[record.ExternalId] = id;
            }
            else if (!byEmail.ContainsKey(key) && heldBy.TryGetValue(key, out var holder))
            {
                protectedMatches[record.ExternalId] = holder;
            }
        }

        return (matched, protectedMatches);
    }

    /// <summary>The xmlid of an existing partner the run matched and updated (its pre-image says the xmlid is ours to remove).</summary>
    private async Task RegisterMatchAsync(DestinationRecord record, long id, CancellationToken cancellationToken)
    {
        var (module, name) = Split(record.ExternalId);
        await client.ExecuteKwAsync("ir.model.data", "create", [new Dictionary<string, object?> { ["module"] = module, ["name"] = name, ["model"] = "res.partner", ["res_id"] = id, ["noupdate"] = false }], Context(), cancellationToken);
    }
}
