using System.Globalization;
using Flit.Core.Destinations;

namespace Flit.Destinations.Odoo;

/// <summary>What a run needs before data: custom fields (in one call), stages, teams, tags, countries and states, owners.</summary>
public sealed partial class OdooDestination
{
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

            // Exports often hold codes ("NSW", "GB"), which Odoo's own name search also accepts: countries and states are
            // looked up by name or code in one search, a name winning over a code.
            var byCode = group.Key is "res.country" or "res.country.state";
            var found = byCode
                ? await SearchReadAnyAsync(group.Key, [[nameField, "in", wanted], ["code", "in", wanted.Select(w => (object?)w.ToUpperInvariant()).ToList()]], ["id", nameField, "code"], cancellationToken)
                : await SearchReadAsync(group.Key, [[nameField, "in", wanted]], ["id", nameField], cancellationToken);
            var byName = found.Where(f => wanted.Contains((string)f[nameField]!, StringComparer.Ordinal))
                .GroupBy(f => ((string)f[nameField]!).ToUpperInvariant()).ToDictionary(g => g.Key, g => g.First()["id"]!);
            if (byCode)
            {
                // A state code used in more than one country ("WA") is ambiguous without the country: it stays unresolved.
                var codes = wanted.Where(w => !byName.ContainsKey(w.ToUpperInvariant())).Select(w => w.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
                foreach (var match in found.Where(f => f["code"] is string code && codes.Contains(code.ToUpperInvariant()))
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
}
