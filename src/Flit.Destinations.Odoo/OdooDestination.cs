using System.Collections.Concurrent;
using System.Globalization;
using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Destinations.Odoo.Rpc;

namespace Flit.Destinations.Odoo;

/// <summary>
/// Writes to Odoo through its external API: records are upserted under deterministic xmlids (ir.model.data in the
/// migration's own module), many per call, with the import context keys so no chatter, notification or invitation
/// is produced. A batch Odoo refuses is split until the refused records are isolated, each keeping Odoo's message.
/// Partner matching, leads and rollback live in the partial files beside this one.
/// </summary>
public sealed partial class OdooDestination(OdooClient client) : IDestination
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

    /// <summary>Text per load() call, well under the 128 MiB request body Odoo accepts (XML-RPC markup and escapes on top).</summary>
    private const long MaxCharsPerLoad = 64L * 1024 * 1024;

    /// <summary>xmlid names of what Prepare creates (stages, teams, tags, projects...), within the migration's module.</summary>
    private const string PreparedPrefix = "prep_";

    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, DestinationField>> _fields = new(StringComparer.Ordinal);

    /// <summary>Stored fields per model (fields_get's <c>store</c>): what a snapshot reads and a rollback can write back.</summary>
    private readonly ConcurrentDictionary<string, HashSet<string>> _stored = new(StringComparer.Ordinal);

    /// <summary>Fields per model that Odoo computes (fields_get's <c>depends</c>) or keeps per company; null when the server
    /// does not say which.</summary>
    private readonly ConcurrentDictionary<string, HashSet<string>?> _computed = new(StringComparer.Ordinal);

    /// <summary>Per model, the fields a created record leaves out of its load() row when it has no value (see <see cref="LoadRows"/>).</summary>
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _keptOutWhenEmpty = new(StringComparer.Ordinal);

    private readonly SnapshotMemory _memory = new();

    private readonly ReadBackLookups _readBacks = new();

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

    public async Task<IReadOnlyCollection<string>?> ListUserEmailsAsync(CancellationToken cancellationToken) =>
        [.. (await client.ExecuteKwAsync("res.users", "search_read", [new List<object?>(), new List<object?> { "email" }], null, cancellationToken) as List<object?> ?? [])
            .OfType<IReadOnlyDictionary<string, object?>>().Select(u => u.GetValueOrDefault("email")).OfType<string>().Where(e => e.Length > 0)];

    public async Task<PrepareOutcome> PrepareAsync(PreparePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var created = await CreateCustomFieldsAsync(plan.CustomFields, plan.ExternalIdModule, plan.OwnerTag, cancellationToken);
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        await ResolveExternalIdsAsync(plan.NamedRecords.Where(n => n.ByExternalId), named, cancellationToken);
        foreach (var group in plan.NamedRecords.Where(n => !n.ByExternalId).GroupBy(n => n.Model, StringComparer.Ordinal))
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
                // Created with an xmlid of the migration's module and tag (in the same transaction), so its rollback — and no
                // other migration's — removes them.
                var rows = missing.Select(m => (object?)new List<object?> { plan.ExternalIdModule is null ? string.Empty : $"{plan.ExternalIdModule}.{PreparedName(plan.OwnerTag, group.Key, m)}", m }).ToList();
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

        var emails = plan.OwnerEmails.Concat(plan.AuthorEmails ?? []).Append(plan.FallbackOwnerEmail).OfType<string>().Select(e => e.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var users = await SearchReadAsync("res.users", [["email", "in", emails]], ["id", "email", "partner_id"], cancellationToken);
        var byEmail = users.Where(u => u["email"] is string).GroupBy(u => PrepareOutcome.UserKey((string)u["email"]!)).ToDictionary(
            g => g.Key,
            g => new DestinationUser(Convert.ToString(g.First()["id"], CultureInfo.InvariantCulture)!, OdooValues.Integer(g.First()["partner_id"] is IList<object?> { Count: > 0 } pair ? pair[0] : null)?.ToString(CultureInfo.InvariantCulture)),
            StringComparer.Ordinal);
        return OwnerMatching.Resolve(plan, byEmail, named, created);
    }

    /// <summary>Records of Odoo's own data by their xmlids (<c>mail.mt_note</c>), checked to be of the model asked for.</summary>
    private async Task ResolveExternalIdsAsync(IEnumerable<NamedLookup> lookups, Dictionary<string, string> named, CancellationToken cancellationToken)
    {
        foreach (var group in lookups.GroupBy(l => Split(l.Name.Trim()).Module, StringComparer.Ordinal))
        {
            var wanted = group.ToList();
            var rows = await SearchReadAsync("ir.model.data", [["module", "=", group.Key], ["name", "in", wanted.Select(w => (object?)Split(w.Name.Trim()).Name).Distinct().ToList()]], ["name", "model", "res_id"], cancellationToken);
            foreach (var lookup in wanted)
            {
                var row = rows.FirstOrDefault(r => Equals(r["name"], Split(lookup.Name.Trim()).Name) && Equals(r["model"], lookup.Model));
                if (row is not null && OdooValues.Integer(row["res_id"]) is { } id)
                {
                    named[PrepareOutcome.Key(lookup)] = id.ToString(CultureInfo.InvariantCulture);
                }
            }
        }
    }

    public async Task<IReadOnlyList<UpsertOutcome>> UpsertAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _readBacks.Forget(model);
        var fields = await FieldsAsync(model, refresh: false, cancellationToken);
        var existing = await KnownOrExistingAsync(model, batch, cancellationToken);
        var outcomes = new List<UpsertOutcome>(batch.Count);
        var warnings = new Dictionary<string, RecordIssue>(StringComparer.Ordinal);
        var toLoad = batch.ToList();
        if (model == "res.partner")
        {
            toLoad = await UpdateMatchedPartnersAsync(fields, [.. toLoad.Where(r => !existing.ContainsKey(r.ExternalId))], outcomes, warnings, cancellationToken);
            toLoad.AddRange(batch.Where(r => existing.ContainsKey(r.ExternalId)));
        }

        ClosingDates? closing = null;
        if (model == "crm.lead")
        {
            toLoad = await KeepContactsIntactAsync([.. toLoad.Select(AsOdooWonOrLost)], warnings, cancellationToken);
            (toLoad, closing) = await TakeClosingDatesAsync(toLoad, existing, cancellationToken);
        }

        // load() creates each record together with its xmlid in one transaction (and writes those whose xmlid exists):
        // a crash can never leave a record without its xmlid, so running the batch again never duplicates.
        await LoadIsolatingFailuresAsync(model, fields, toLoad, existing, outcomes, cancellationToken);
        if (closing is not null)
        {
            await RestoreClosingDatesAsync(closing, outcomes, cancellationToken);
        }

        return warnings.Count == 0 ? outcomes : [.. outcomes.Select(o => warnings.TryGetValue(o.ExternalId, out var warning) ? o with { Warning = warning } : o)];
    }

    public async Task<IReadOnlyList<ReadBackRecord>> ReadBackAsync(string model, IReadOnlyCollection<string> externalIds, IReadOnlyCollection<string> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        ArgumentNullException.ThrowIfNull(fields);
        var existing = _readBacks.Recall(model, externalIds);
        if (existing is null)
        {
            existing = await ExistingAsync(model, [.. externalIds], cancellationToken);
            _readBacks.Remember(model, externalIds, existing);
        }

        if (existing.Count == 0)
        {
            return [];
        }

        var known = await FieldsAsync(model, refresh: false, cancellationToken);
        var wanted = fields.Where(known.ContainsKey).Append("id").Distinct(StringComparer.Ordinal).ToList();
        var rows = (List<object?>)(await client.ExecuteKwAsync(model, "read", [existing.Values.Select(v => (object?)v).ToList(), wanted.Select(w => (object?)w).ToList()], Context(), cancellationToken))!;
        var byId = existing.ToDictionary(e => e.Value, e => e.Key);
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
    /// Loads the records in as few calls as their columns allow (<see cref="LoadRows"/>). load() answers a refused batch
    /// with a message per bad row and writes nothing: those rows fail with Odoo's message and the rest go again in one
    /// call. A fault instead of messages (a constraint checked at commit) is isolated by halving.
    /// </summary>
    private async Task LoadIsolatingFailuresAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, List<DestinationRecord> records, Dictionary<string, long> existing, List<UpsertOutcome> outcomes, CancellationToken cancellationToken)
    {
        var keptOut = await KeptOutWhenEmptyAsync(model, fields, cancellationToken);
        var pending = records;

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
            foreach (var slice in LoadRows.Group(now, existing.ContainsKey, keptOut, fields).SelectMany(g => LoadRows.Slices(g, MaxCharsPerLoad)))
            {
                await LoadGroupAsync(model, fields, slice, existing, outcomes, cancellationToken);
            }

            foreach (var created in outcomes.Where(o => o.Status == UpsertStatus.Created && o.DestinationId is not null && !existing.ContainsKey(o.ExternalId)))
            {
                existing[created.ExternalId] = long.Parse(created.DestinationId!, CultureInfo.InvariantCulture);
            }
        }
    }

    private async Task LoadGroupAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, List<DestinationRecord> records, Dictionary<string, long> existing, List<UpsertOutcome> outcomes, CancellationToken cancellationToken)
    {
        while (records.Count > 0)
        {
            var names = records[0].Values.Keys.Order(StringComparer.Ordinal).ToList();
            var header = new List<object?> { "id" };
            header.AddRange(names.Select(n => (object?)(fields.TryGetValue(n, out var f) && f.Type is "many2one" or "many2many" ? n + "/.id" : n)));
            var rows = records.Select(r => (object?)new List<object?>(names.Select(n => (object?)OdooValues.LoadText(fields, n, r.Values[n])).Prepend(r.ExternalId))).ToList();
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
                    return new UpsertOutcome(r.ExternalId, existing.ContainsKey(r.ExternalId) ? UpsertStatus.Updated : UpsertStatus.Created, id);
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
                outcomes.Add(new UpsertOutcome(records[row].ExternalId, UpsertStatus.Failed, existing.TryGetValue(records[row].ExternalId, out var known) ? known.ToString(CultureInfo.InvariantCulture) : null, message, IsMissingLink(message)));
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

    private async Task<UpsertOutcome> WriteOneAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, DestinationRecord record, long id, UpsertStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await client.ExecuteKwAsync(model, "write", [new List<object?> { id }, OdooValues.ForWrite(fields, record.Values)], Context(), cancellationToken);
            return new UpsertOutcome(record.ExternalId, status, id.ToString(CultureInfo.InvariantCulture));
        }
        catch (OdooException e) when (e is OdooUserException or OdooServerException { IsTransient: false })
        {
            return new UpsertOutcome(record.ExternalId, UpsertStatus.Failed, id.ToString(CultureInfo.InvariantCulture), e.Message);
        }
    }

    /// <summary>
    /// The fields a created record leaves out of its row when it has no value: those create() would fill when left out —
    /// a meaningful default (default_get, in load()'s context), a computed or company-dependent field — and numbers.
    /// When the server does not say which fields it computes, or default_get fails, every field is kept out (each row
    /// sends only its own values).
    /// </summary>
    private async Task<IReadOnlySet<string>> KeptOutWhenEmptyAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, CancellationToken cancellationToken)
    {
        if (_keptOutWhenEmpty.TryGetValue(model, out var cached))
        {
            return cached;
        }

        IReadOnlyDictionary<string, object?>? defaults = null;
        var computed = _computed.GetValueOrDefault(model);
        if (computed is not null)
        {
            try
            {
                defaults = await client.ExecuteKwAsync(model, "default_get", [fields.Keys.Select(f => (object?)f).ToList()], LoadContext(), cancellationToken) as IReadOnlyDictionary<string, object?>;
            }
            catch (OdooException e) when (e is OdooUserException or OdooServerException { IsTransient: false })
            {
                defaults = null;
            }
        }

        IReadOnlySet<string> keptOut = computed is null || defaults is null
            ? fields.Keys.ToHashSet(StringComparer.Ordinal)
            : fields.Values.Where(f => computed.Contains(f.Name) || f.Type is "integer" or "float" or "monetary" or "many2one_reference" || OdooValues.HasValue(defaults.GetValueOrDefault(f.Name)))
                .Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        return _keptOutWhenEmpty[model] = keptOut;
    }

    /// <summary>
    /// Records of this model already under the batch's xmlids, by xmlid: what the snapshot of the same records learned,
    /// and Odoo's answer for those no snapshot looked up (records the migration wrote before).
    /// </summary>
    private async Task<Dictionary<string, long>> KnownOrExistingAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, long>(StringComparer.Ordinal);
        var unknown = _memory.TakeRecords(model, batch.Select(r => r.ExternalId), existing);
        if (unknown.Count > 0)
        {
            foreach (var (externalId, id) in await ExistingAsync(model, unknown, cancellationToken))
            {
                existing[externalId] = id;
            }
        }

        return existing;
    }

    /// <summary>Records of this model already under the given xmlids, by xmlid.</summary>
    private async Task<Dictionary<string, long>> ExistingAsync(string model, List<string> externalIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var module in externalIds.Select(Split).GroupBy(x => x.Module))
        {
            var rows = await SearchReadAsync("ir.model.data", [["module", "=", module.Key], ["model", "=", model], ["name", "in", module.Select(m => m.Name).ToList()]], ["name", "res_id"], cancellationToken);
            foreach (var row in rows)
            {
                result[$"{module.Key}.{row["name"]}"] = OdooValues.Integer(row["res_id"]) ?? 0;
            }
        }

        return result;
    }

    private async Task<List<string>> CreateCustomFieldsAsync(IReadOnlyList<CustomFieldPlan> plan, string? module, string ownerTag, CancellationToken cancellationToken)
    {
        var created = new List<string>();
        var rows = new List<object?>();
        var models = plan.Select(f => f.Model).Distinct(StringComparer.Ordinal).ToList();
        if (models.Count == 0)
        {
            return created;
        }

        var modelIds = (await SearchReadAsync("ir.model", [["model", "in", models.Select(m => (object?)m).ToList()]], ["id", "model"], cancellationToken))
            .ToDictionary(r => (string)r["model"]!, r => r["id"], StringComparer.Ordinal);
        var added = new List<(string Model, DestinationField Field)>();
        foreach (var group in plan.GroupBy(f => f.Model, StringComparer.Ordinal))
        {
            // The fields the mapping was just described with (fetched only if this destination has not described them).
            var fields = await FieldsAsync(group.Key, refresh: false, cancellationToken);
            var modelId = modelIds.GetValueOrDefault(group.Key) ?? throw new InvalidOperationException($"Odoo has no model '{group.Key}': is its app installed?");
            foreach (var field in group.Where(f => !fields.ContainsKey(f.Name)))
            {
                // In the migration's module and under its tag: its rollback finds them by it, another migration's does not.
                var xmlid = module is null ? string.Empty : $"{module}.{FieldXmlIdPrefix(ownerTag)}{group.Key.Replace('.', '_')}__{field.Name}";
                var type = field.Type is "selection" ? "char" : field.Type;
                rows.Add(new List<object?> { xmlid, field.Name, Convert.ToString(modelId, CultureInfo.InvariantCulture), field.Label, type });
                created.Add($"{field.Model}.{field.Name}");
                added.Add((group.Key, new DestinationField(field.Name, type, false)));
            }
        }

        // Creating fields reloads Odoo's registry: all of them in one call, before any data; load() registers each
        // field's xmlid in the same transaction. What was created is exactly what was asked for (stored, optional, not
        // computed), so the known fields take it without asking Odoo again.
        if (rows.Count > 0)
        {
            await LoadAllAsync("ir.model.fields", ["id", "name", "model_id/.id", "field_description", "ttype"], rows, cancellationToken);
            foreach (var model in added.GroupBy(a => a.Model, StringComparer.Ordinal))
            {
                var fields = new Dictionary<string, DestinationField>((await FieldsAsync(model.Key, refresh: false, cancellationToken)).ToDictionary(), StringComparer.Ordinal);
                foreach (var (_, field) in model)
                {
                    fields[field.Name] = field;
                }

                _fields[model.Key] = fields;
                _stored.GetValueOrDefault(model.Key)?.UnionWith(model.Select(a => a.Field.Name));
                _keptOutWhenEmpty.TryRemove(model.Key, out _);
            }
        }

        return created;
    }

    private async Task<IReadOnlyDictionary<string, DestinationField>> FieldsAsync(string model, bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && _fields.TryGetValue(model, out var cached))
        {
            return cached;
        }

        // Always restricted attributes: an unrestricted fields_get can fault on some models in 19.
        var answer = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync(model, "fields_get", [], new Dictionary<string, object?> { ["attributes"] = new List<object?> { "type", "required", "relation", "store", "depends", "company_dependent" } }, cancellationToken))!;
        var fields = answer.ToDictionary(
            f => f.Key,
            f => f.Value is IReadOnlyDictionary<string, object?> a
                ? new DestinationField(f.Key, a.GetValueOrDefault("type") as string ?? "char", a.GetValueOrDefault("required") is true, a.GetValueOrDefault("relation") as string)
                : new DestinationField(f.Key, "char", false),
            StringComparer.Ordinal);
        _fields[model] = fields;
        _stored[model] = answer.Where(f => f.Value is IReadOnlyDictionary<string, object?> a && a.GetValueOrDefault("store") is not false).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        _computed[model] = answer.Values.Any(a => a is IReadOnlyDictionary<string, object?> d && d.ContainsKey("depends"))
            ? answer.Where(f => f.Value is IReadOnlyDictionary<string, object?> a && (a.GetValueOrDefault("depends") is IList<object?> { Count: > 0 } || a.GetValueOrDefault("company_dependent") is true))
                .Select(f => f.Key).ToHashSet(StringComparer.Ordinal)
            : null;
        _keptOutWhenEmpty.TryRemove(model, out _);
        return fields;
    }

    private async Task<List<IReadOnlyDictionary<string, object?>>> SearchReadAsync(string model, IReadOnlyList<object?[]> domain, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var rows = await client.ExecuteKwAsync(model, "search_read", [domain.Select(d => (object?)d.ToList()).ToList(), fields.Select(f => (object?)f).ToList()], ArchivedToo(), cancellationToken);
        return [.. ((List<object?>)rows!).OfType<IReadOnlyDictionary<string, object?>>()];
    }

    /// <summary>Records matching a domain, archived ones included.</summary>
    private async Task<long> CountAsync(string model, IReadOnlyList<object?[]> domain, CancellationToken cancellationToken) =>
        Convert.ToInt64(await client.ExecuteKwAsync(model, "search_count", [domain.Select(d => (object?)d.ToList()).ToList()], ArchivedToo(), cancellationToken), CultureInfo.InvariantCulture);

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

    /// <summary>The xmlid name of a record Prepare created: the migration's tag, the model and a hash of the name.</summary>
    private static string PreparedName(string ownerTag, string model, string name) => $"{PreparedXmlIdPrefix(ownerTag)}{model.Replace('.', '_')}_{ShortHash(name)}";

    private static string PreparedXmlIdPrefix(string ownerTag) => $"{PreparedPrefix}{ownerTag}__";

    /// <summary>The xmlid names of custom fields a migration created start with this.</summary>
    private static string FieldXmlIdPrefix(string ownerTag) => $"field_{ownerTag}__";

    private static string ShortHash(string name) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name.Trim().ToUpperInvariant())))[..12];

    private static (string Module, string Name) Split(string externalId)
    {
        var dot = externalId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? (externalId[..dot], externalId[(dot + 1)..]) : ("__import__", externalId);
    }
}
