using System.Globalization;
using Flit.Core.Destinations;
using Flit.Core.Records;

namespace Flit.Destinations.Odoo;

/// <summary>What crm.lead's own rules would do to migrated data, and how the destination keeps it intact.</summary>
public sealed partial class OdooDestination
{
    /// <summary>
    /// Odoo has no lost stage: a lost opportunity is archived with probability 0 (what action_set_lost writes), and
    /// both go in the same call as the rest.
    /// </summary>
    private static DestinationRecord AsOdooWonOrLost(DestinationRecord record) =>
        record.Values.GetValueOrDefault("active") is false or "false" or "0" && !record.Values.ContainsKey("probability")
            ? record with { Values = new Dictionary<string, object?>(record.Values, StringComparer.Ordinal) { ["active"] = false, ["probability"] = 0d } }
            : record;

    /// <summary>
    /// A lead's email_from and phone write through to its partner when they differ (crm_lead.py inverses; up to 18 an
    /// empty value too), which would overwrite a migrated contact. Such values are not sent — the lead shows its
    /// contact's — and one that really differs is kept in the lead's description, with a warning.
    /// </summary>
    private async Task<List<DestinationRecord>> KeepContactsIntactAsync(List<DestinationRecord> records, Dictionary<string, RecordIssue> warnings, CancellationToken cancellationToken)
    {
        var linked = records.Where(IsLinkedWithContactValues).ToList();
        if (linked.Count == 0)
        {
            return records;
        }

        // The snapshot read these leads' partners; only a lead it did not see (or whose partner changed) is read now.
        var partners = new Dictionary<long, IReadOnlyDictionary<string, object?>>();
        var unread = new HashSet<long>();
        foreach (var record in linked)
        {
            var partnerId = PartnerOf(record)!.Value;
            if (_memory.TakeLeadContact(record.ExternalId, out var contact) && contact.PartnerId == partnerId)
            {
                partners[partnerId] = new Dictionary<string, object?> { ["email"] = contact.Email, ["phone"] = contact.Phone };
            }
            else
            {
                unread.Add(partnerId);
            }
        }

        unread.ExceptWith(partners.Keys);
        foreach (var (id, partner) in await ReadContactValuesAsync(unread, cancellationToken))
        {
            partners[id] = partner;
        }

        static string? Text(object? value) => value is string { Length: > 0 } text ? text.Trim() : null;
        return [.. records.Select(record =>
        {
            if (PartnerOf(record) is not { } partnerId || !partners.TryGetValue(partnerId, out var partner))
            {
                return record;
            }

            var values = new Dictionary<string, object?>(record.Values, StringComparer.Ordinal);
            var kept = new List<(string Field, string Text)>();
            foreach (var (leadField, partnerField, label) in new[] { ("email_from", "email", "E-mail"), ("phone", "phone", "Phone") })
            {
                var contacts = Text(partner.GetValueOrDefault(partnerField));
                if (!values.TryGetValue(leadField, out var value) || Text(value) == contacts)
                {
                    continue;
                }

                values.Remove(leadField);
                if (Text(value) is { } own && !string.Equals(own.Replace(" ", string.Empty, StringComparison.Ordinal), contacts?.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                {
                    values["description"] = (values.GetValueOrDefault("description") as string ?? string.Empty) + $"<p>{label} on the source record: {System.Net.WebUtility.HtmlEncode(own)}</p>";
                    kept.Add((leadField, $"{leadField} '{own}' differs from its contact's '{contacts}'"));
                }
            }

            if (kept.Count > 0)
            {
                warnings[record.ExternalId] = new RecordIssue(IssueKinds.DestinationAdjusted, kept.Count == 1 ? kept[0].Field : "email_from, phone", $"{record.Location}: {string.Join("; ", kept.Select(k => k.Text))}: Odoo would overwrite the contact, so the lead shows the contact's value and keeps its own in the description.");
            }

            return record with { Values = values };
        })];
    }

    /// <summary>The e-mail and phone of each lead's partner, remembered for the upsert of the same leads.</summary>
    private async Task RememberLeadContactsAsync(IReadOnlyList<DestinationRecord> records, CancellationToken cancellationToken)
    {
        var linked = records.Where(IsLinkedWithContactValues).ToList();
        var partners = await ReadContactValuesAsync(linked.Select(r => PartnerOf(r)!.Value).ToHashSet(), cancellationToken);
        foreach (var record in linked)
        {
            var partnerId = PartnerOf(record)!.Value;
            if (partners.TryGetValue(partnerId, out var partner))
            {
                _memory.RememberLeadContact(record.ExternalId, new LeadContact(partnerId, partner.GetValueOrDefault("email") as string, partner.GetValueOrDefault("phone") as string));
            }
        }
    }

    private async Task<Dictionary<long, IReadOnlyDictionary<string, object?>>> ReadContactValuesAsync(HashSet<long> partnerIds, CancellationToken cancellationToken) =>
        partnerIds.Count == 0
            ? []
            : (await ReadAsync("res.partner", partnerIds, ["email", "phone"], cancellationToken)).ToDictionary(p => OdooValues.Integer(p["id"]) ?? 0);

    /// <summary>A lead linked to a partner that carries an e-mail or a phone of its own: what Odoo would write through.</summary>
    private static bool IsLinkedWithContactValues(DestinationRecord record) =>
        PartnerOf(record) is not null && (record.Values.ContainsKey("email_from") || record.Values.ContainsKey("phone"));

    private static long? PartnerOf(DestinationRecord record) => record.Values.GetValueOrDefault("partner_id") switch
    {
        long id => id,
        string text when long.TryParse(text, CultureInfo.InvariantCulture, out var id) => id,
        _ => null,
    };

    /// <summary>date_closed as it must end after the load: the source's close date, or what an earlier write left.</summary>
    /// <param name="Wanted">External id → the date_closed to write after the load.</param>
    /// <param name="Before">Lead id → its external id, whether it was closed (won or lost) and its date_closed, for leads
    /// that existed before the load.</param>
    private sealed record ClosingDates(Dictionary<string, object?> Wanted, Dictionary<long, (string ExternalId, bool Closed, string? Value)> Before);

    private static readonly string[] ClosingFields = ["date_closed", "active", "probability"];

    /// <summary>
    /// crm.lead's write() stamps date_closed with the time of the write whenever a lead is marked lost, and when it
    /// moves into a won stage (facts: date_closed), whatever the call says — so a repeated write (a resume, a re-run)
    /// would move it. The source's close date, when the mapping gives one, is taken out of the load and written by
    /// itself afterwards (a write of date_closed alone stamps nothing); for leads that already exist, what they held
    /// before the load is remembered so it can be put back. create() stamps nothing (crm_lead.py): a lead the load
    /// creates keeps its close date in the load itself, unless the batch writes it again (its xmlid twice).
    /// </summary>
    private async Task<(List<DestinationRecord> Records, ClosingDates? Closing)> TakeClosingDatesAsync(List<DestinationRecord> records, Dictionary<string, long> existing, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, object?>(StringComparer.Ordinal);
        var writtenTwice = records.GroupBy(r => r.ExternalId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var stripped = records.Select(record =>
        {
            if (!record.Values.TryGetValue("date_closed", out var closed) || !(existing.ContainsKey(record.ExternalId) || writtenTwice.Contains(record.ExternalId)))
            {
                return record;
            }

            wanted[record.ExternalId] = closed;
            return record with { Values = record.Values.Where(v => v.Key != "date_closed").ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal) };
        }).ToList();

        var before = new Dictionary<long, (string ExternalId, bool Closed, string? Value)>();
        var known = records.Where(r => existing.ContainsKey(r.ExternalId) && !wanted.ContainsKey(r.ExternalId)).ToDictionary(r => existing[r.ExternalId], r => r.ExternalId);
        if (known.Count > 0)
        {
            foreach (var row in await ReadAsync("crm.lead", known.Keys, ClosingFields, cancellationToken))
            {
                var id = OdooValues.Integer(row["id"]) ?? 0;
                before[id] = (known[id], IsClosed(row), row.GetValueOrDefault("date_closed") as string);
            }
        }

        return (stripped, wanted.Count == 0 && before.Count == 0 ? null : new ClosingDates(wanted, before));
    }

    /// <summary>Won (probability 100) or lost (archived), as crm.lead's own rules see it.</summary>
    private static bool IsClosed(IReadOnlyDictionary<string, object?> lead) =>
        lead.GetValueOrDefault("active") is false || lead.GetValueOrDefault("probability") is double p and >= 100 || lead.GetValueOrDefault("probability") is long q and >= 100;

    /// <summary>
    /// Writes the source close dates, and puts back the date_closed of a lead that was closed before the load and still
    /// is (even an empty one): the load only stamped it again. A lead that changed state keeps what Odoo wrote.
    /// </summary>
    private async Task RestoreClosingDatesAsync(ClosingDates closing, IReadOnlyList<UpsertOutcome> outcomes, CancellationToken cancellationToken)
    {
        var written = outcomes.Where(o => o.Status != UpsertStatus.Failed && o.DestinationId is not null).Select(o => o.ExternalId).ToHashSet(StringComparer.Ordinal);
        var dateField = new Dictionary<string, DestinationField> { ["date_closed"] = new("date_closed", "datetime", false) };
        var rows = new List<object?>();
        foreach (var (externalId, value) in closing.Wanted.Where(w => written.Contains(w.Key)))
        {
            rows.Add(new List<object?> { externalId, OdooValues.LoadText(dateField, "date_closed", value) });
        }

        var stillClosed = closing.Before.Where(b => b.Value.Closed && written.Contains(b.Value.ExternalId)).ToDictionary(b => b.Key, b => b.Value);
        if (stillClosed.Count > 0)
        {
            foreach (var row in await ReadAsync("crm.lead", stillClosed.Keys, ClosingFields, cancellationToken))
            {
                var (externalId, _, previous) = stillClosed[OdooValues.Integer(row["id"]) ?? 0];
                if (IsClosed(row) && row.GetValueOrDefault("date_closed") as string != previous)
                {
                    rows.Add(new List<object?> { externalId, previous ?? string.Empty });
                }
            }
        }

        if (rows.Count > 0)
        {
            await LoadAllAsync("crm.lead", ["id", "date_closed"], rows, cancellationToken);
        }
    }

    private async Task<List<IReadOnlyDictionary<string, object?>>> ReadAsync(string model, IEnumerable<long> ids, IReadOnlyList<string> fields, CancellationToken cancellationToken) =>
        [.. ((List<object?>)(await client.ExecuteKwAsync(model, "read", [ids.Select(id => (object?)id).ToList(), fields.Select(f => (object?)f).ToList()], ArchivedToo(), cancellationToken))!)
            .OfType<IReadOnlyDictionary<string, object?>>()];
}
