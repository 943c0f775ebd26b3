namespace Flit.Sandbox.Odoo;

/// <summary>
/// What the models do on create and write beyond storing the values, as Odoo 17's own code does: crm.lead's closing
/// date and its contact fields (crm_lead.py), res.partner's address sync between a company and its contacts
/// (res_partner.py). A record changed alongside the one written is a write of its own, undone with the call.
/// </summary>
internal sealed partial class OdooDatabase
{
    private static readonly string[] AddressFields = ["street", "street2", "city", "zip", "state_id", "country_id"];

    /// <summary>
    /// crm.lead.write() as Odoo 17 has it (crm_lead.py): a move to a won stage sets probability 100 and stamps
    /// date_closed with the time of the write — unless the lead was in a won stage already; any write of probability
    /// ≥ 100 or of active=False (a lost lead, every time) stamps it too; a positive probability, or a move to a stage
    /// that is not won, clears it. create() stamps nothing.
    /// </summary>
    private void StampClosingDate(Dictionary<string, object?> before, Dictionary<string, object?> lead, Dictionary<string, object?> changes)
    {
        bool IsWon(object? stage) => stage is long id && _records["crm.stage"].TryGetValue(id, out var s) && s.GetValueOrDefault("is_won") is true;
        var stageUpdated = changes.TryGetValue("stage_id", out var newStage) && !Equals(before.GetValueOrDefault("stage_id"), newStage);
        var stageIsWon = stageUpdated && IsWon(newStage);
        if (stageIsWon)
        {
            lead["probability"] = 100d;
        }

        var probability = stageIsWon ? 100d : changes.GetValueOrDefault("probability") as double? ?? 0d;
        object? closed;
        if (probability >= 100 || changes.GetValueOrDefault("active") is false)
        {
            closed = Now();
        }
        else if (probability > 0 || (stageUpdated && !stageIsWon && !changes.ContainsKey("probability")))
        {
            closed = null;
        }
        else
        {
            return;
        }

        if (!(stageIsWon && IsWon(before.GetValueOrDefault("stage_id"))))
        {
            lead["date_closed"] = closed;
        }
    }

    /// <summary>
    /// crm.lead's email_from and phone are computed from the partner and have inverses (crm_lead.py): a lead written
    /// with a value that differs from its partner's (compared normalised) overwrites the partner's — an empty value
    /// too, as up to 18 (19 skips empty ones: the stricter behaviour is kept); a lead created with a partner and
    /// without the value takes the partner's.
    /// </summary>
    private void SyncLeadContact(string model, Dictionary<string, object?> lead, IEnumerable<string> written, long uid)
    {
        if (model != "crm.lead" || lead.GetValueOrDefault("partner_id") is not long partnerId || !_records["res.partner"].TryGetValue(partnerId, out var partner))
        {
            return;
        }

        var given = written.ToHashSet(StringComparer.Ordinal);
        foreach (var (leadField, partnerField, normalise) in new (string, string, Func<object?, string?>)[]
        {
            ("email_from", "email", v => (v as string)?.Trim().ToLowerInvariant() is { Length: > 0 } e ? e : null),
            ("phone", "phone", v => (v as string)?.Replace(" ", string.Empty, StringComparison.Ordinal) is { Length: > 0 } p ? p : null),
        })
        {
            if (!given.Contains(leadField) && !given.Contains("partner_id"))
            {
                continue;
            }

            if (!given.Contains(leadField))
            {
                // A new or changed partner and no value of the lead's own: the compute takes the partner's.
                lead[leadField] = partner.GetValueOrDefault(partnerField);
            }
            else if (normalise(lead.GetValueOrDefault(leadField)) != normalise(partner.GetValueOrDefault(partnerField)))
            {
                var value = lead.GetValueOrDefault(leadField) is string { Length: > 0 } text ? text : null;
                partner = WriteAlongside("res.partner", partnerId, uid, p => p[partnerField] = value);
            }
        }
    }

    /// <summary>A contact-type child takes its company's address, losing its own (facts #11).</summary>
    private void CopyParentAddress(string model, Dictionary<string, object?> record)
    {
        if (model == "res.partner" && Equals(record.GetValueOrDefault("type"), "contact") && record.GetValueOrDefault("parent_id") is long parent)
        {
            var company = _records["res.partner"][parent];
            foreach (var field in AddressFields)
            {
                record[field] = company.GetValueOrDefault(field);
            }
        }
    }

    /// <summary>
    /// A company's address written is copied into its contact-type children (res_partner.py, _children_sync:
    /// <c>contacts.update_address(values)</c>), each a write of its own, and on down to their children.
    /// </summary>
    private void SyncChildrenAddress(string model, long id, Dictionary<string, object?> partner, IEnumerable<string> written, long uid)
    {
        var changed = AddressFields.Where(written.Contains).ToList();
        if (model != "res.partner" || changed.Count == 0)
        {
            return;
        }

        foreach (var childId in _records["res.partner"].Where(c => c.Value.GetValueOrDefault("parent_id") is long parent && parent == id && Equals(c.Value.GetValueOrDefault("type"), "contact")).Select(c => c.Key).ToList())
        {
            var updated = WriteAlongside("res.partner", childId, uid, child => changed.ForEach(field => child[field] = partner.GetValueOrDefault(field)));
            SyncChildrenAddress(model, childId, updated, changed, uid);
        }
    }

    /// <summary>Writes another record as a side effect of the call's write (stamped, and undone if the call fails).</summary>
    private Dictionary<string, object?> WriteAlongside(string model, long id, long uid, Action<Dictionary<string, object?>> change)
    {
        var before = _records[model][id];
        _undo!.Add(() => _records[model][id] = before);
        var updated = new Dictionary<string, object?>(before) { ["write_uid"] = uid, ["write_date"] = Now() };
        change(updated);
        _records[model][id] = updated;
        return updated;
    }
}
