using System.Globalization;
using System.Text.Json;
using Flit.Core.Destinations;
using Flit.Destinations.Odoo.Rpc;

namespace Flit.Destinations.Odoo;

/// <summary>
/// Undoing one migration: what it created is deleted, what it updated gets back exactly what it held, and what its
/// prepare step created (stages, teams, custom fields — recognised by the migration's tag in their xmlids) is removed
/// once nothing uses it. Another migration's records, fields and stages are never touched.
/// </summary>
public sealed partial class OdooDestination
{
    public async Task<RollbackOutcome> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // What snapshots learned is about records this rollback deletes or restores.
        _memory.Clear();
        _readBacks.Clear();
        var items = request.Items;
        int deleted = 0, restored = 0;
        var conflicts = new List<string>();
        var failures = new List<string>();
        var leftAlone = new List<string>();
        var modules = items.Select(i => Split(i.ExternalId).Module).Append(request.ExternalIdModule).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var ownFields = await OwnCustomFieldsAsync(modules, request.OwnerTag, cancellationToken);

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
            var fields = await FieldsAsync(model, refresh: true, cancellationToken);
            // Custom fields the migration created did not exist before it: emptied, unless the pre-images are from within it.
            var own = request.WithinMigration ? [] : ownFields.Where(f => f.Model == model && fields.ContainsKey(f.Name)).Select(f => f.Name).ToList();
            var wanted = group.Where(i => !i.Created).SelectMany(i => i.PreImage!.Values.Keys).Concat(own).Append("write_date")
                .Where(fields.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
            var current = (await ReadAsync(model, group.Select(i => long.Parse(i.DestinationId, CultureInfo.InvariantCulture)), wanted, cancellationToken))
                .ToDictionary(r => OdooValues.Integer(r["id"]) ?? 0);
            var toDelete = new List<object?>();
            foreach (var item in group)
            {
                var id = long.Parse(item.DestinationId, CultureInfo.InvariantCulture);
                if (!current.TryGetValue(id, out var now))
                {
                    continue;
                }

                // Odoo's write_date has second precision: a change in a later second than our write is someone else's.
                if (!request.Force && now.GetValueOrDefault("write_date") is string writeDate
                    && DestinationEdit.IsLater(OdooValues.WriteDate(writeDate), item.WrittenAt))
                {
                    conflicts.Add($"{model} {item.DestinationId} ({item.ExternalId}) was changed in Odoo at {writeDate} UTC, after the migration wrote it at {item.WrittenAt:u}: left as it is (use --force to undo anyway).");
                    leftAlone.Add(item.ExternalId);
                    continue;
                }

                if (item.Created)
                {
                    toDelete.Add(id);
                    continue;
                }

                try
                {
                    await RestoreAsync(model, fields, id, item, now, own, cancellationToken);
                    restored++;
                }
                catch (OdooException e)
                {
                    failures.Add($"{model} {item.DestinationId}: {e.Message}");
                    leftAlone.Add(item.ExternalId);
                }
            }

            if (toDelete.Count > 0)
            {
                // unlink removes the records' xmlids and attachments, and for mail.thread models their messages.
                await client.ExecuteKwAsync(model, "unlink", [toDelete], Context(), cancellationToken);
                deleted += toDelete.Count;
            }
        }

        // What the prepare step created goes once every chunk of the run's records is undone.
        var droppedFields = 0;
        if (request.Final)
        {
            deleted += await DeletePreparedRecordsAsync(modules, request.OwnerTag, request.Models ?? [.. items.Select(i => i.Model).Distinct(StringComparer.Ordinal)], conflicts, cancellationToken);
            droppedFields = await DropCustomFieldsAsync(ownFields, conflicts, cancellationToken);
        }

        return new RollbackOutcome(deleted, restored, conflicts, failures, droppedFields, leftAlone);
    }

    /// <summary>
    /// Writes back, in one call, every field whose value differs from the pre-image — including what Odoo derived from
    /// the run's write (an address copied from a parent) — and empties the custom fields this migration created (they
    /// did not exist before it). An xmlid the run registered itself (an e-mail match) is removed; one that was there
    /// before (an earlier migration's) stays.
    /// </summary>
    private async Task RestoreAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, long id, RollbackItem item, IReadOnlyDictionary<string, object?> now, IReadOnlyList<string> ownFields, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, before) in item.PreImage!.Values)
        {
            if (!fields.TryGetValue(name, out var field) || ownFields.Contains(name))
            {
                continue;
            }

            var expected = OdooValues.ForWrite(field.Type, before);
            if (Comparable(expected) != Comparable(OdooValues.FromRead(field, now.GetValueOrDefault(name))))
            {
                changes[name] = expected;
            }
        }

        foreach (var name in ownFields.Where(n => OdooValues.FromRead(fields[n], now.GetValueOrDefault(n)) is not (null or false)))
        {
            changes[name] = false;
        }

        if (changes.Count > 0)
        {
            await client.ExecuteKwAsync(model, "write", [new List<object?> { id }, changes], Context(), cancellationToken);
        }

        if (!item.PreImage.ExternalIdExisted)
        {
            var (module, name) = Split(item.ExternalId);
            var xmlids = await client.ExecuteKwAsync("ir.model.data", "search", [new List<object?> { new List<object?> { "module", "=", module }, new List<object?> { "name", "=", name } }], null, cancellationToken);
            await client.ExecuteKwAsync("ir.model.data", "unlink", [xmlids], Context(), cancellationToken);
        }
    }

    private static string Comparable(object? value) => JsonSerializer.Serialize(value switch
    {
        false or "" => null,
        _ => value,
    });

    /// <summary>The custom fields this migration created: their xmlids carry its tag.</summary>
    private async Task<List<(long Id, string Model, string Name)>> OwnCustomFieldsAsync(IEnumerable<string> modules, string ownerTag, CancellationToken cancellationToken)
    {
        var ids = new List<object?>();
        foreach (var module in modules)
        {
            ids.AddRange((await SearchReadAsync("ir.model.data", [["module", "=", module], ["model", "=", "ir.model.fields"]], ["name", "res_id"], cancellationToken))
                .Where(x => x["name"] is string name && name.StartsWith(FieldXmlIdPrefix(ownerTag), StringComparison.Ordinal))
                .Select(x => x["res_id"]));
        }

        return ids.Count == 0
            ? []
            : [.. (await SearchReadAsync("ir.model.fields", [["id", "in", ids]], ["id", "name", "model"], cancellationToken))
                .Select(f => (OdooValues.Integer(f["id"]) ?? 0, (string)f["model"]!, (string)f["name"]!))];
    }

    /// <summary>
    /// Deletes the records this migration's Prepare created (stages, teams, tags...) once the run's records are gone; one
    /// that a record of the run's models still points at (someone else's, or one this rollback left alone) stays, reported.
    /// </summary>
    private async Task<int> DeletePreparedRecordsAsync(IEnumerable<string> modules, string ownerTag, IReadOnlyList<string> runModels, List<string> conflicts, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var prefix = PreparedXmlIdPrefix(ownerTag);
        foreach (var module in modules)
        {
            // Filtered here, not with =like: '_' is a LIKE wildcard, and another migration's tag must never match.
            var xmlids = (await SearchReadAsync("ir.model.data", [["module", "=", module], ["name", "=like", PreparedPrefix + "%"]], ["model", "res_id", "name"], cancellationToken))
                .Where(x => x["model"] is string model && model != "ir.model.fields" && x["name"] is string name && name.StartsWith(prefix, StringComparison.Ordinal));
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
                            users += await CountAsync(runModel, [[link.Name, "=", xmlid["res_id"]]], cancellationToken);
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
    /// Drops the custom fields this migration created, once its records are gone. Restored records had them emptied, so
    /// a field that any record still holds a value in (a record left alone, or one someone else wrote) stays, reported.
    /// </summary>
    private async Task<int> DropCustomFieldsAsync(List<(long Id, string Model, string Name)> ownFields, List<string> conflicts, CancellationToken cancellationToken)
    {
        var dropped = new List<object?>();
        foreach (var (id, model, name) in ownFields)
        {
            // An emptied number reads 0 in Odoo (the column stores 0, not NULL): that holds nothing either.
            var numeric = (await FieldsAsync(model, refresh: false, cancellationToken)).GetValueOrDefault(name)?.Type is "integer" or "float" or "monetary";
            List<object?[]> holds = numeric ? [[name, "!=", false], [name, "!=", 0]] : [[name, "!=", false]];
            var holding = await CountAsync(model, holds, cancellationToken);
            if (holding > 0)
            {
                conflicts.Add($"custom field {model}.{name} was created by the migration but {holding} record(s) still hold values in it: left in place.");
            }
            else
            {
                dropped.Add(id);
            }
        }

        if (dropped.Count > 0)
        {
            await client.ExecuteKwAsync("ir.model.fields", "unlink", [dropped], Context(), cancellationToken);
            _fields.Clear();
            _stored.Clear();
            _computed.Clear();
            _keptOutWhenEmpty.Clear();
        }

        return dropped.Count;
    }
}
