using System.Collections.Concurrent;
using System.Globalization;
using Flit.Core.Destinations;
using Flit.Destinations.Odoo.Rpc;

namespace Flit.Destinations.Odoo;

/// <summary>
/// Writes to Odoo through its external API: records are upserted under deterministic xmlids (ir.model.data in the
/// migration's own module), many per call, with the import context keys so no chatter, notification or invitation
/// is produced. A batch Odoo refuses is split until the refused records are isolated, each keeping Odoo's message.
/// </summary>
public sealed class OdooDestination(OdooClient client) : IDestination
{
    /// <summary>Context keys on every write (facts/odoo.md): no tracking messages, no followers, no mails.</summary>
    private static readonly Dictionary<string, object?> ImportContext = new()
    {
        ["tracking_disable"] = true,
        ["mail_create_nolog"] = true,
        ["mail_create_nosubscribe"] = true,
        ["mail_notrack"] = true,
        ["mail_activity_quick_update"] = true,
        ["no_mail_to_attendees"] = true,
    };

    /// <summary>xmlid names of what Prepare creates (stages, teams, tags, projects...), within the migration's module.</summary>
    private const string PreparedPrefix = "prep_";

    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, DestinationField>> _fields = new(StringComparer.Ordinal);

    public string Kind => "odoo";

    public async Task<DestinationSchema> DescribeAsync(IReadOnlyCollection<string> models, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        var result = new Dictionary<string, IReadOnlyDictionary<string, DestinationField>>(StringComparer.Ordinal);
        foreach (var model in models.Distinct(StringComparer.Ordinal))
        {
            result[model] = await FieldsAsync(model, refresh: true, cancellationToken);
        }

        return new DestinationSchema(result);
    }

    public async Task<PrepareOutcome> PrepareAsync(PreparePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var created = await CreateCustomFieldsAsync(plan.CustomFields, plan.ExternalIdModule, cancellationToken);
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in plan.NamedRecords.GroupBy(n => n.Model, StringComparer.Ordinal))
        {
            var nameField = group.Key == "ir.model" ? "model" : "name";
            var wanted = group.Select(n => n.Name.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var found = await SearchReadAsync(group.Key, [[nameField, "in", wanted]], ["id", nameField], cancellationToken);
            var byName = found.GroupBy(f => ((string)f[nameField]!).ToUpperInvariant()).ToDictionary(g => g.Key, g => g.First()["id"]!);
            if (group.Key is "res.country" or "res.country.state" && wanted.Any(w => !byName.ContainsKey(w.ToUpperInvariant())))
            {
                // Exports often hold codes ("NSW", "GB"), which Odoo's own name search also accepts. A state code used
                // in more than one country ("WA") is ambiguous without the country, so it stays unresolved.
                var codes = wanted.Where(w => !byName.ContainsKey(w.ToUpperInvariant())).Select(w => (object?)w.ToUpperInvariant()).ToList();
                foreach (var match in (await SearchReadAsync(group.Key, [["code", "in", codes]], ["id", "code"], cancellationToken))
                    .GroupBy(f => ((string)f["code"]!).ToUpperInvariant()).Where(g => g.Count() == 1))
                {
                    byName[match.Key] = match.Single()["id"]!;
                }
            }

            var missing = wanted.Where(w => !byName.ContainsKey(w.ToUpperInvariant())).ToList();
            if (missing.Count > 0 && !NamedLookup.FindOnlyModels.Contains(group.Key))
            {
                // Created with an xmlid of the migration's module (in the same transaction), so a rollback removes them.
                var rows = missing.Select(m => (object?)new List<object?> { plan.ExternalIdModule is null ? string.Empty : $"{plan.ExternalIdModule}.{PreparedPrefix}{group.Key.Replace('.', '_')}_{ShortHash(m)}", m }).ToList();
                var ids = await LoadAllAsync(group.Key, ["id", "name"], rows, cancellationToken);
                for (var i = 0; i < missing.Count; i++)
                {
                    byName[missing[i].ToUpperInvariant()] = ids[i]!;
                }
            }

            foreach (var name in wanted.Where(w => byName.ContainsKey(w.ToUpperInvariant())))
            {
                named[PrepareOutcome.Key(new NamedLookup(group.Key, name))] = Convert.ToString(byName[name.ToUpperInvariant()], CultureInfo.InvariantCulture)!;
            }
        }

        var emails = plan.OwnerEmails.Append(plan.FallbackOwnerEmail).OfType<string>().Select(e => e.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var users = await SearchReadAsync("res.users", [["email", "in", emails]], ["id", "email"], cancellationToken);
        var byEmail = users.Where(u => u["email"] is string).GroupBy(u => PrepareOutcome.UserKey((string)u["email"]!)).ToDictionary(g => g.Key, g => Convert.ToString(g.First()["id"], CultureInfo.InvariantCulture)!);
        byEmail.TryGetValue(PrepareOutcome.UserKey(plan.FallbackOwnerEmail ?? string.Empty), out var fallback);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        if (fallback is not null)
        {
            resolved[PrepareOutcome.UserKey(plan.FallbackOwnerEmail!)] = fallback;
        }
        else if (plan.FallbackOwnerEmail is not null)
        {
            throw new InvalidOperationException($"The fallback owner '{plan.FallbackOwnerEmail}' is not a user of this Odoo database.");
        }

        var unmatched = new List<string>();
        foreach (var email in plan.OwnerEmails)
        {
            if (byEmail.TryGetValue(PrepareOutcome.UserKey(email), out var id))
            {
                resolved[PrepareOutcome.UserKey(email)] = id;
            }
            else
            {
                unmatched.Add(email);
                if (fallback is not null)
                {
                    resolved[PrepareOutcome.UserKey(email)] = fallback;
                }
            }
        }

        return new PrepareOutcome(named, resolved, unmatched, created);
    }

    public async Task<IReadOnlyList<UpsertOutcome>> UpsertAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var fields = await FieldsAsync(model, refresh: false, cancellationToken);
        var existing = await ExistingAsync(model, batch.Select(r => r.ExternalId).ToList(), cancellationToken);
        var outcomes = new List<UpsertOutcome>(batch.Count);
        var toLoad = batch.ToList();
        if (model == "res.partner")
        {
            toLoad = await UpdateMatchedPartnersAsync(fields, [.. toLoad.Where(r => !existing.ContainsKey(r.ExternalId))], outcomes, cancellationToken);
            toLoad.AddRange(batch.Where(r => existing.ContainsKey(r.ExternalId)));
        }

        var warnings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (model == "crm.lead")
        {
            toLoad = await KeepContactsIntactAsync([.. toLoad.Select(AsOdooWonOrLost)], warnings, cancellationToken);
        }

        // load() creates each record together with its xmlid in one transaction (and writes those whose xmlid exists):
        // a crash can never leave a record without its xmlid, so running the batch again never duplicates.
        await LoadIsolatingFailuresAsync(model, fields, toLoad, existing, outcomes, cancellationToken);
        return warnings.Count == 0 ? outcomes : [.. outcomes.Select(o => warnings.TryGetValue(o.ExternalId, out var warning) ? o with { Warning = warning } : o)];
    }

    /// <summary>
    /// Odoo has no lost stage: a lost opportunity is archived with probability 0 (what action_set_lost writes), and
    /// both go in the same call as the rest, so the date Odoo stamps in date_closed is the migration's — the source's
    /// close date travels in an x_ field.
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
    private async Task<List<DestinationRecord>> KeepContactsIntactAsync(List<DestinationRecord> records, Dictionary<string, string> warnings, CancellationToken cancellationToken)
    {
        static long? PartnerOf(DestinationRecord r) => r.Values.GetValueOrDefault("partner_id") switch
        {
            long id => id,
            string text when long.TryParse(text, CultureInfo.InvariantCulture, out var id) => id,
            _ => null,
        };

        var linked = records.Where(r => PartnerOf(r) is not null && (r.Values.ContainsKey("email_from") || r.Values.ContainsKey("phone"))).ToList();
        if (linked.Count == 0)
        {
            return records;
        }

        var partners = ((List<object?>)(await client.ExecuteKwAsync("res.partner", "read", [linked.Select(r => (object?)PartnerOf(r)).Distinct().ToList(), new List<object?> { "email", "phone" }], Context(), cancellationToken))!)
            .OfType<IReadOnlyDictionary<string, object?>>().ToDictionary(p => Convert.ToInt64(p["id"], CultureInfo.InvariantCulture));
        static string? Text(object? value) => value is string { Length: > 0 } text ? text.Trim() : null;
        return [.. records.Select(record =>
        {
            if (PartnerOf(record) is not { } partnerId || !partners.TryGetValue(partnerId, out var partner))
            {
                return record;
            }

            var values = new Dictionary<string, object?>(record.Values, StringComparer.Ordinal);
            var kept = new List<string>();
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
                    kept.Add($"{leadField} '{own}' differs from its contact's '{contacts}'");
                }
            }

            if (kept.Count > 0)
            {
                warnings[record.ExternalId] = $"{record.Location}: {string.Join("; ", kept)}: Odoo would overwrite the contact, so the lead shows the contact's value and keeps its own in the description.";
            }

            return record with { Values = values };
        })];
    }

    public async Task<IReadOnlyList<ReadBackRecord>> ReadBackAsync(string model, IReadOnlyCollection<string> externalIds, IReadOnlyCollection<string> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var existing = await ExistingAsync(model, [.. externalIds], cancellationToken);
        if (existing.Count == 0)
        {
            return [];
        }

        var known = await FieldsAsync(model, refresh: false, cancellationToken);
        var wanted = fields.Where(known.ContainsKey).Append("id").Distinct(StringComparer.Ordinal).ToList();
        var rows = (List<object?>)(await client.ExecuteKwAsync(model, "read", [existing.Values.Select(v => (object?)v.Id).ToList(), wanted.Select(w => (object?)w).ToList()], Context(), cancellationToken))!;
        var byId = existing.ToDictionary(e => e.Value.Id, e => e.Key);
        return [.. rows.OfType<IReadOnlyDictionary<string, object?>>()
            .Where(r => r["id"] is long id && byId.ContainsKey(id))
            .Select(r => new ReadBackRecord(byId[(long)r["id"]!], Convert.ToString(r["id"], CultureInfo.InvariantCulture)!, r.Where(v => v.Key != "id").ToDictionary(v => v.Key, v => v.Value)))];
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Loads records sharing one set of columns per call. load() answers a refused batch with a message per bad row
    /// and writes nothing: those rows fail with Odoo's message and the rest go again in one call. A fault instead of
    /// messages (a constraint checked at commit) is isolated by halving.
    /// </summary>
    private async Task LoadIsolatingFailuresAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, List<DestinationRecord> records, Dictionary<string, (long Id, bool Created)> existing, List<UpsertOutcome> outcomes, CancellationToken cancellationToken)
    {
        // A value the mapping left empty is not sent: an empty cell would write False over a default or a value.
        var pending = records.Select(r => r.Values.Values.Any(v => v is null)
            ? r with { Values = r.Values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal) }
            : r).ToList();

        // load() looks xmlids up before creating anything: the same xmlid twice in one call would create two records.
        // Repeats go in a later call, which updates what the first one wrote.
        while (pending.Count > 0)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var now = new List<DestinationRecord>(pending.Count);
            var repeats = new List<DestinationRecord>();
            foreach (var record in pending)
            {
                (seen.Add(record.ExternalId) ? now : repeats).Add(record);
            }

            pending = repeats;
            foreach (var group in now.GroupBy(r => string.Join('\n', r.Values.Keys.Order(StringComparer.Ordinal)), StringComparer.Ordinal))
            {
                await LoadGroupAsync(model, fields, [.. group], existing, outcomes, cancellationToken);
            }

            foreach (var created in outcomes.Where(o => o.Status == UpsertStatus.Created && o.DestinationId is not null && !existing.ContainsKey(o.ExternalId)))
            {
                existing[created.ExternalId] = (long.Parse(created.DestinationId!, CultureInfo.InvariantCulture), true);
            }
        }
    }

    private async Task LoadGroupAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, List<DestinationRecord> records, Dictionary<string, (long Id, bool Created)> existing, List<UpsertOutcome> outcomes, CancellationToken cancellationToken)
    {
        while (records.Count > 0)
        {
            var names = records[0].Values.Keys.Order(StringComparer.Ordinal).ToList();
            var header = new List<object?> { "id" };
            header.AddRange(names.Select(n => (object?)(fields.TryGetValue(n, out var f) && f.Type is "many2one" or "many2many" ? n + "/.id" : n)));
            var rows = records.Select(r => (object?)new List<object?>(names.Select(n => (object?)LoadText(fields, n, r.Values[n])).Prepend(r.ExternalId))).ToList();
            IReadOnlyDictionary<string, object?> answer;
            try
            {
                answer = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync(model, "load", [header, rows], LoadContext(), cancellationToken))!;
            }
            catch (OdooException e) when (e is OdooUserException or OdooServerException { IsTransient: false })
            {
                await IsolateAsync(e.Message);
                return;
            }

            if (answer.GetValueOrDefault("ids") is List<object?> ids)
            {
                outcomes.AddRange(records.Select((r, i) =>
                {
                    var id = Convert.ToString(ids[i], CultureInfo.InvariantCulture);
                    return existing.TryGetValue(r.ExternalId, out var known) && !known.Created
                        ? new UpsertOutcome(r.ExternalId, UpsertStatus.Updated, id)
                        : new UpsertOutcome(r.ExternalId, UpsertStatus.Created, id);
                }));
                return;
            }

            // Each message names its row in 'record' (or 'rows.from'); one that names none refuses the call as a whole.
            var messages = (answer.GetValueOrDefault("messages") as List<object?> ?? []).OfType<IReadOnlyDictionary<string, object?>>()
                .Where(m => m.GetValueOrDefault("type") is "error").ToList();
            var refused = messages
                .Select(m => (Row: RowOf(m), Message: m.GetValueOrDefault("message") as string ?? "refused by Odoo"))
                .Where(m => m.Row is { } row && row >= 0 && row < records.Count)
                .GroupBy(m => m.Row!.Value)
                .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(m => m.Message)));
            if (refused.Count == 0)
            {
                await IsolateAsync(messages.Count == 0 ? "Odoo refused the rows without a message" : MessageText(messages));
                return;
            }

            // When the batch fails as a whole, Odoo files that error under the first row (load()'s flush): a message on
            // row 0 beside others is not proof against it, so row 0 is tried again on its own.
            if (refused.Count > 1 && refused.Remove(0))
            {
                await LoadGroupAsync(model, fields, [records[0]], existing, outcomes, cancellationToken);
                refused = refused.ToDictionary(r => r.Key - 1, r => r.Value);
                records = records[1..];
            }

            foreach (var (row, message) in refused)
            {
                outcomes.Add(new UpsertOutcome(records[row].ExternalId, UpsertStatus.Failed, existing.TryGetValue(records[row].ExternalId, out var known) ? known.Id.ToString(CultureInfo.InvariantCulture) : null, message, IsMissingLink(message)));
            }

            records = [.. records.Where((_, i) => !refused.ContainsKey(i))];
        }

        // Refused as a whole: halve until each refusal names its own record.
        async Task IsolateAsync(string message)
        {
            if (records.Count == 1)
            {
                outcomes.Add(new UpsertOutcome(records[0].ExternalId, UpsertStatus.Failed, null, message, IsMissingLink(message)));
                return;
            }

            var half = records.Count / 2;
            await LoadGroupAsync(model, fields, records[..half], existing, outcomes, cancellationToken);
            await LoadGroupAsync(model, fields, records[half..], existing, outcomes, cancellationToken);
        }
    }

    /// <summary>Set-up rows that must all load (custom fields, named records): a refusal stops the run with Odoo's words.</summary>
    private async Task<List<object?>> LoadAllAsync(string model, IReadOnlyList<string> columns, List<object?> rows, CancellationToken cancellationToken)
    {
        var answer = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync(model, "load", [columns.Select(c => (object?)c).ToList(), rows], LoadContext(), cancellationToken))!;
        return answer.GetValueOrDefault("ids") as List<object?>
            ?? throw new InvalidOperationException($"Odoo refused to create {model} records: {MessageText((answer.GetValueOrDefault("messages") as List<object?> ?? []).OfType<IReadOnlyDictionary<string, object?>>())}");
    }

    private static string MessageText(IEnumerable<IReadOnlyDictionary<string, object?>> messages) =>
        string.Join("; ", messages.Select(m => m.GetValueOrDefault("message")));

    private static int? RowOf(IReadOnlyDictionary<string, object?> message) =>
        message.GetValueOrDefault("record") is long record ? (int)record
        : message.GetValueOrDefault("rows") is IReadOnlyDictionary<string, object?> rows && rows.GetValueOrDefault("from") is long from ? (int)from
        : null;

    /// <summary>A link to a record that does not exist (yet): the retry pass may resolve it.</summary>
    private static bool IsMissingLink(string message) =>
        message.Contains("another model requires", StringComparison.Ordinal) || message.Contains("No matching record found", StringComparison.Ordinal);

    /// <summary>
    /// load() takes text: links by database id (<c>field/.id</c>), booleans as 1/0, naive UTC datetimes read in the
    /// context's time zone (UTC here, so they stay as they are), empty text for no value.
    /// </summary>
    private static string LoadText(IReadOnlyDictionary<string, DestinationField> fields, string name, object? value)
    {
        var type = fields.TryGetValue(name, out var field) ? field.Type : null;
        return value switch
        {
            null or false when type != "boolean" => string.Empty,
            bool b => b ? "1" : "0",
            DateTime d => d.ToString(type == "date" ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IEnumerable<object?> many when value is not string => string.Join(',', many.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>>> SnapshotAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (model != "res.partner")
        {
            return new Dictionary<string, IReadOnlyDictionary<string, object?>>();
        }

        // Records already under this module's xmlids are left out by the match itself: their partners carry our xmlid.
        var matched = await MatchPartnersByEmailAsync(batch, cancellationToken);
        if (matched.Count == 0)
        {
            return new Dictionary<string, IReadOnlyDictionary<string, object?>>();
        }

        // One read for the whole chunk, in the form write() takes back.
        var fields = await FieldsAsync(model, refresh: false, cancellationToken);
        var names = fields.Values.Where(f => f.Type is not ("one2many" or "binary") && f.Name is not ("id" or "display_name" or "create_date" or "write_date" or "create_uid" or "write_uid" or "__last_update"))
            .Select(f => (object?)f.Name).ToList();
        var rows = ((List<object?>)(await client.ExecuteKwAsync(model, "read", [matched.Values.Distinct().Select(id => (object?)id).ToList(), names], Context(), cancellationToken))!)
            .OfType<IReadOnlyDictionary<string, object?>>().ToDictionary(r => Convert.ToInt64(r["id"], CultureInfo.InvariantCulture));
        return matched.Where(m => rows.ContainsKey(m.Value)).ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, object?>)rows[m.Value]
            .Where(v => v.Key != "id" && fields.ContainsKey(v.Key)).ToDictionary(v => v.Key, v => fields[v.Key].Type switch
            {
                "many2one" => v.Value is List<object?> { Count: > 0 } pair ? pair[0] : null,
                "many2many" => (object?)new List<object?> { new List<object?> { 6L, 0L, v.Value as List<object?> ?? [] } },
                _ when v.Value is false && fields[v.Key].Type != "boolean" => null,
                _ => v.Value,
            }, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>
    /// Partners that already exist in Odoo with the same e-mail (and are not records of this migration) are updated,
    /// not duplicated; their pre-images were taken by <see cref="SnapshotAsync"/> before this call.
    /// </summary>
    private async Task<List<DestinationRecord>> UpdateMatchedPartnersAsync(IReadOnlyDictionary<string, DestinationField> fields, List<DestinationRecord> records, List<UpsertOutcome> outcomes, CancellationToken cancellationToken)
    {
        var matched = await MatchPartnersByEmailAsync(records, cancellationToken);
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
            }
            else
            {
                remaining.Add(record);
            }
        }

        return remaining;
    }

    /// <summary>
    /// The existing partner each record matches by e-mail (case-insensitive; first come, first served), leaving out
    /// partners that already carry an xmlid of this migration's module: those are records of this run.
    /// </summary>
    private async Task<Dictionary<string, long>> MatchPartnersByEmailAsync(IReadOnlyList<DestinationRecord> records, CancellationToken cancellationToken)
    {
        var matched = new Dictionary<string, long>(StringComparer.Ordinal);
        var emails = records.Select(r => r.Values.GetValueOrDefault("email") as string).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (emails.Count == 0)
        {
            return matched;
        }

        var candidates = await SearchReadAsync("res.partner", [["email", "in", emails]], ["id", "email"], cancellationToken);
        var modules = records.Select(r => Split(r.ExternalId).Module).Distinct(StringComparer.Ordinal).Select(m => (object?)m).ToList();
        var ours = candidates.Count == 0 ? [] : (await SearchReadAsync("ir.model.data", [["model", "=", "res.partner"], ["module", "in", modules], ["res_id", "in", candidates.Select(c => c["id"]).ToList()]], ["res_id"], cancellationToken))
            .Select(x => Convert.ToInt64(x["res_id"], CultureInfo.InvariantCulture)).ToHashSet();
        var byEmail = candidates.Where(c => !ours.Contains(Convert.ToInt64(c["id"], CultureInfo.InvariantCulture)) && c["email"] is string)
            .GroupBy(c => ((string)c["email"]!).ToUpperInvariant()).ToDictionary(g => g.Key, g => Convert.ToInt64(g.First()["id"], CultureInfo.InvariantCulture));
        var claimed = new HashSet<long>();
        foreach (var record in records)
        {
            if (record.Values.GetValueOrDefault("email") is string email && byEmail.TryGetValue(email.ToUpperInvariant(), out var id) && claimed.Add(id))
            {
                matched[record.ExternalId] = id;
            }
        }

        return matched;
    }

    /// <summary>
    /// The xmlid of an existing partner the run matched and updated: noupdate false tells it apart from what the run
    /// created (load() registers those with noupdate true).
    /// </summary>
    private async Task RegisterMatchAsync(DestinationRecord record, long id, CancellationToken cancellationToken)
    {
        var (module, name) = Split(record.ExternalId);
        await client.ExecuteKwAsync("ir.model.data", "create", [new Dictionary<string, object?> { ["module"] = module, ["name"] = name, ["model"] = "res.partner", ["res_id"] = id, ["noupdate"] = false }], Context(), cancellationToken);
    }

    public async Task<RollbackOutcome> RollbackAsync(IReadOnlyList<RollbackItem> items, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        int deleted = 0, restored = 0;
        var conflicts = new List<string>();
        var failures = new List<string>();
        // Items arrive children first; consecutive items of one model are undone together.
        var groups = new List<List<RollbackItem>>();
        foreach (var item in items)
        {
            if (groups.Count == 0 || groups[^1][0].Model != item.Model)
            {
                groups.Add([]);
            }

            groups[^1].Add(item);
        }

        foreach (var group in groups)
        {
            var model = group[0].Model;
            var ids = group.Select(i => (object?)long.Parse(i.DestinationId, CultureInfo.InvariantCulture)).ToList();
            var current = ((List<object?>)(await client.ExecuteKwAsync(model, "read", [ids, new List<object?> { "write_date" }], Context(), cancellationToken))!)
                .OfType<IReadOnlyDictionary<string, object?>>()
                .ToDictionary(r => Convert.ToString(r["id"], CultureInfo.InvariantCulture)!, r => r["write_date"] as string);
            var toDelete = new List<object?>();
            foreach (var item in group)
            {
                if (!current.TryGetValue(item.DestinationId, out var writeDate))
                {
                    continue;
                }

                // Odoo's write_date has second precision: a change in a later second than our write is someone else's.
                if (!force && writeDate is not null && DateTime.ParseExact(writeDate, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
                    > item.WrittenAt.UtcDateTime.AddTicks(-(item.WrittenAt.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)))
                {
                    conflicts.Add($"{model} {item.DestinationId} ({item.ExternalId}) was changed in Odoo at {writeDate} UTC, after the migration wrote it at {item.WrittenAt:u}: left as it is (use --force to undo anyway).");
                    continue;
                }

                if (item.Created)
                {
                    toDelete.Add(long.Parse(item.DestinationId, CultureInfo.InvariantCulture));
                }
                else
                {
                    try
                    {
                        await client.ExecuteKwAsync(model, "write", [new List<object?> { long.Parse(item.DestinationId, CultureInfo.InvariantCulture) }, item.PreImage ?? new Dictionary<string, object?>()], Context(), cancellationToken);
                        var (module, name) = Split(item.ExternalId);
                        var xmlids = await client.ExecuteKwAsync("ir.model.data", "search", [new List<object?> { new List<object?> { "module", "=", module }, new List<object?> { "name", "=", name } }], null, cancellationToken);
                        await client.ExecuteKwAsync("ir.model.data", "unlink", [xmlids], Context(), cancellationToken);
                        restored++;
                    }
                    catch (OdooException e)
                    {
                        failures.Add($"{model} {item.DestinationId}: {e.Message}");
                    }
                }
            }

            if (toDelete.Count > 0)
            {
                // unlink removes the records' xmlids and attachments, and for mail.thread models their messages.
                await client.ExecuteKwAsync(model, "unlink", [toDelete], Context(), cancellationToken);
                deleted += toDelete.Count;
            }
        }

        var modules = items.Select(i => Split(i.ExternalId).Module).Distinct(StringComparer.Ordinal).ToList();
        deleted += await DeletePreparedRecordsAsync(modules, [.. items.Select(i => i.Model).Distinct(StringComparer.Ordinal)], conflicts, cancellationToken);
        var droppedFields = await DropCustomFieldsAsync(modules, conflicts, cancellationToken);
        return new RollbackOutcome(deleted, restored, conflicts, failures, droppedFields);
    }

    private async Task<UpsertOutcome> WriteOneAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, DestinationRecord record, long id, UpsertStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await client.ExecuteKwAsync(model, "write", [new List<object?> { id }, Values(fields, record)], Context(), cancellationToken);
            return new UpsertOutcome(record.ExternalId, status, id.ToString(CultureInfo.InvariantCulture));
        }
        catch (OdooException e) when (e is OdooUserException or OdooServerException { IsTransient: false })
        {
            return new UpsertOutcome(record.ExternalId, UpsertStatus.Failed, id.ToString(CultureInfo.InvariantCulture), e.Message);
        }
    }

    /// <summary>Values as Odoo takes them: naive UTC datetimes, ISO dates, integer ids for links.</summary>
    private static Dictionary<string, object?> Values(IReadOnlyDictionary<string, DestinationField> fields, DestinationRecord record)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in record.Values)
        {
            var type = fields.TryGetValue(name, out var field) ? field.Type : null;
            values[name] = value switch
            {
                DateTime d => d.ToString(type == "date" ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                string s when type is "many2one" or "many2one_reference" or "integer" && long.TryParse(s, CultureInfo.InvariantCulture, out var id) => id,
                string s when type is "float" or "monetary" && double.TryParse(s, CultureInfo.InvariantCulture, out var d) => d,
                _ => value,
            };
        }

        return values;
    }

    /// <summary>Records of this model already under the given xmlids, and whether the migration created them (noupdate).</summary>
    private async Task<Dictionary<string, (long Id, bool Created)>> ExistingAsync(string model, List<string> externalIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, (long Id, bool Created)>(StringComparer.Ordinal);
        foreach (var module in externalIds.Select(Split).GroupBy(x => x.Module))
        {
            var rows = await SearchReadAsync("ir.model.data", [["module", "=", module.Key], ["model", "=", model], ["name", "in", module.Select(m => m.Name).ToList()]], ["name", "res_id", "noupdate"], cancellationToken);
            foreach (var row in rows)
            {
                result[$"{module.Key}.{row["name"]}"] = (Convert.ToInt64(row["res_id"], CultureInfo.InvariantCulture), row.GetValueOrDefault("noupdate") is true);
            }
        }

        return result;
    }

    private async Task<List<string>> CreateCustomFieldsAsync(IReadOnlyList<CustomFieldPlan> plan, string? module, CancellationToken cancellationToken)
    {
        var created = new List<string>();
        var rows = new List<object?>();
        foreach (var group in plan.GroupBy(f => f.Model, StringComparer.Ordinal))
        {
            var fields = await FieldsAsync(group.Key, refresh: true, cancellationToken);
            var modelId = (await SearchReadAsync("ir.model", [["model", "=", group.Key]], ["id"], cancellationToken)).Select(r => r["id"]).FirstOrDefault()
                ?? throw new InvalidOperationException($"Odoo has no model '{group.Key}': is its app installed?");
            foreach (var field in group.Where(f => !fields.ContainsKey(f.Name)))
            {
                // Odoo's own xmlid convention for fields, in the migration's module: the rollback finds them by it.
                var xmlid = module is null ? string.Empty : $"{module}.field_{group.Key.Replace('.', '_')}__{field.Name}";
                rows.Add(new List<object?> { xmlid, field.Name, Convert.ToString(modelId, CultureInfo.InvariantCulture), field.Label, field.Type is "selection" ? "char" : field.Type });
                created.Add($"{field.Model}.{field.Name}");
            }
        }

        // Creating fields reloads Odoo's registry: all of them in one call, before any data; load() registers each
        // field's xmlid in the same transaction.
        if (rows.Count > 0)
        {
            await LoadAllAsync("ir.model.fields", ["id", "name", "model_id/.id", "field_description", "ttype"], rows, cancellationToken);

            foreach (var model in plan.Select(p => p.Model).Distinct(StringComparer.Ordinal))
            {
                await FieldsAsync(model, refresh: true, cancellationToken);
            }
        }

        return created;
    }

    /// <summary>
    /// Deletes the records Prepare created (stages, teams, tags...) once the run's records are gone; one that a
    /// record of the run's models still points at (someone else's, or one this rollback left alone) stays, reported.
    /// </summary>
    private async Task<int> DeletePreparedRecordsAsync(IEnumerable<string> modules, IReadOnlyList<string> runModels, List<string> conflicts, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var module in modules)
        {
            var xmlids = (await SearchReadAsync("ir.model.data", [["module", "=", module], ["name", "=like", PreparedPrefix + "%"]], ["model", "res_id", "name"], cancellationToken))
                .Where(x => x["model"] is string model && model != "ir.model.fields");
            foreach (var group in xmlids.GroupBy(x => (string)x["model"]!, StringComparer.Ordinal))
            {
                var toDelete = new List<object?>();
                foreach (var xmlid in group)
                {
                    var users = 0L;
                    foreach (var runModel in runModels)
                    {
                        foreach (var link in (await FieldsAsync(runModel, refresh: false, cancellationToken)).Values.Where(f => f.Relation == group.Key && f.Type is "many2one" or "many2many"))
                        {
                            users += await CountAsync(runModel, [link.Name, "=", xmlid["res_id"]], cancellationToken);
                        }
                    }

                    if (users > 0)
                    {
                        conflicts.Add($"{group.Key} {xmlid["res_id"]} ({module}.{xmlid["name"]}) was created by the migration but {users} record(s) still use it: left in place.");
                    }
                    else
                    {
                        toDelete.Add(xmlid["res_id"]);
                    }
                }

                if (toDelete.Count > 0)
                {
                    await client.ExecuteKwAsync(group.Key, "unlink", [toDelete], Context(), cancellationToken);
                    deleted += toDelete.Count;
                }
            }
        }

        return deleted;
    }

    /// <summary>
    /// Drops the custom fields the migration's module created, once its records are gone; a field that still holds
    /// values (records this rollback left alone, or written by someone else) stays, reported as a conflict.
    /// </summary>
    private async Task<int> DropCustomFieldsAsync(IEnumerable<string> modules, List<string> conflicts, CancellationToken cancellationToken)
    {
        var dropped = new List<object?>();
        foreach (var module in modules)
        {
            var xmlids = await SearchReadAsync("ir.model.data", [["module", "=", module], ["model", "=", "ir.model.fields"]], ["res_id"], cancellationToken);
            if (xmlids.Count == 0)
            {
                continue;
            }

            var fields = await SearchReadAsync("ir.model.fields", [["id", "in", xmlids.Select(x => x["res_id"]).ToList()]], ["id", "name", "model"], cancellationToken);
            foreach (var field in fields)
            {
                var (model, name) = ((string)field["model"]!, (string)field["name"]!);
                var holding = await CountAsync(model, [name, "!=", false], cancellationToken);
                if (holding > 0)
                {
                    conflicts.Add($"custom field {model}.{name} was created by the migration but {holding} record(s) still hold values in it: left in place.");
                }
                else
                {
                    dropped.Add(field["id"]);
                }
            }
        }

        if (dropped.Count > 0)
        {
            await client.ExecuteKwAsync("ir.model.fields", "unlink", [dropped], Context(), cancellationToken);
            _fields.Clear();
        }

        return dropped.Count;
    }

    private async Task<IReadOnlyDictionary<string, DestinationField>> FieldsAsync(string model, bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && _fields.TryGetValue(model, out var cached))
        {
            return cached;
        }

        // Always restricted attributes: an unrestricted fields_get can fault on some models in 19.
        var answer = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync(model, "fields_get", [], new Dictionary<string, object?> { ["attributes"] = new List<object?> { "type", "required", "relation" } }, cancellationToken))!;
        var fields = answer.ToDictionary(
            f => f.Key,
            f => f.Value is IReadOnlyDictionary<string, object?> a
                ? new DestinationField(f.Key, a.GetValueOrDefault("type") as string ?? "char", a.GetValueOrDefault("required") is true, a.GetValueOrDefault("relation") as string)
                : new DestinationField(f.Key, "char", false),
            StringComparer.Ordinal);
        _fields[model] = fields;
        return fields;
    }

    private async Task<List<IReadOnlyDictionary<string, object?>>> SearchReadAsync(string model, IReadOnlyList<object?[]> domain, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var rows = await client.ExecuteKwAsync(model, "search_read", [domain.Select(d => (object?)d.ToList()).ToList(), fields.Select(f => (object?)f).ToList()], ArchivedToo(), cancellationToken);
        return [.. ((List<object?>)rows!).OfType<IReadOnlyDictionary<string, object?>>()];
    }

    /// <summary>Records matching one leaf, archived ones included.</summary>
    private async Task<long> CountAsync(string model, object?[] leaf, CancellationToken cancellationToken) =>
        Convert.ToInt64(await client.ExecuteKwAsync(model, "search_count", [new List<object?> { leaf.ToList() }], ArchivedToo(), cancellationToken), CultureInfo.InvariantCulture);

    /// <summary>Searches see archived records too: the migration's own records may be archived (lost leads).</summary>
    private static Dictionary<string, object?> ArchivedToo() => new() { ["context"] = new Dictionary<string, object?> { ["active_test"] = false } };

    private static Dictionary<string, object?> Context() => new() { ["context"] = ImportContext };

    /// <summary>
    /// load()'s context: the import keys; <c>noupdate</c> marks the xmlids it registers as created by the migration;
    /// <c>tz</c> UTC because load() reads datetimes in the context's (else the user's) time zone; <c>active_test</c>
    /// off because load() checks <c>field/.id</c> links with a search, which would not see an archived record.
    /// </summary>
    private static Dictionary<string, object?> LoadContext() => new()
    {
        ["context"] = new Dictionary<string, object?>(ImportContext) { ["noupdate"] = true, ["tz"] = "UTC", ["active_test"] = false },
    };

    private static string ShortHash(string name) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name.Trim().ToUpperInvariant())))[..12];

    private static (string Module, string Name) Split(string externalId)
    {
        var dot = externalId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? (externalId[..dot], externalId[(dot + 1)..]) : ("__import__", externalId);
    }
}
