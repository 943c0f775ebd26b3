using System.Globalization;
using System.Text.RegularExpressions;

namespace Flit.Sandbox.Odoo;

/// <summary>load(), the import wizard's method, as models.py and ir_fields.py implement it.</summary>
internal sealed partial class OdooDatabase
{
    /// <summary>
    /// The import wizard's method: string values, <c>id</c> columns holding xmlids, <c>field/id</c> links by xmlid and
    /// <c>.id</c> by database id. Existing xmlids are written, new ones created and registered. Any error undoes the
    /// whole call: <c>ids</c> is False and <c>messages</c> says what and where (models.py).
    /// </summary>
    private Dictionary<string, object?> Load(string model, List<string> fields, IEnumerable<object?> rows, IReadOnlyDictionary<string, object?> context, long uid)
    {
        var messages = new List<object?>();
        var module = context.GetValueOrDefault("module") as string ?? "__import__";
        var noupdate = Flag(context, "noupdate");
        var tz = context.GetValueOrDefault("tz") as string ?? _records["res.users"][uid].GetValueOrDefault("tz") as string;
        var ids = new List<object?>();
        var index = 0;
        var savepoint = _undo!.Count;
        foreach (var row in rows.Select(r => (r as IEnumerable<object?> ?? []).ToList()))
        {
            try
            {
                string? xmlid = null;
                long? databaseId = null;
                var vals = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var c = 0; c < fields.Count && c < row.Count; c++)
                {
                    var column = fields[c];
                    var text = row[c] as string ?? row[c]?.ToString();
                    if (column == "id")
                    {
                        xmlid = string.IsNullOrEmpty(text) ? null : text.Contains('.', StringComparison.Ordinal) ? text : $"{module}.{text}";
                        continue;
                    }

                    if (column == ".id")
                    {
                        databaseId = string.IsNullOrEmpty(text) ? null : long.Parse(text, CultureInfo.InvariantCulture);
                        continue;
                    }

                    var field = column.EndsWith("/id", StringComparison.Ordinal) ? column[..^3] : column.EndsWith("/.id", StringComparison.Ordinal) ? column[..^4] : column;
                    if (!_models[model].TryGetValue(field, out var def))
                    {
                        throw OdooFaultException.Value($"Invalid field '{field}' on model '{model}'");
                    }

                    vals[field] = string.IsNullOrEmpty(text) ? null : column.EndsWith("/id", StringComparison.Ordinal)
                        ? (def.Type == "many2many" ? text.Split(',').Select(x => (object?)ResolveXmlId(x.Trim(), module, def)).ToList() : ResolveXmlId(text, module, def))
                        : column.EndsWith("/.id", StringComparison.Ordinal)
                        ? (def.Type == "many2many" ? text.Split(',').Select(x => (object?)ResolveDatabaseId(x.Trim(), def, context)).ToList() : ResolveDatabaseId(text, def, context))
                        : LoadValue(model, def, text, tz);
                }

                long? existing = databaseId;
                if (existing is null && xmlid is not null)
                {
                    var (m, n) = SplitXmlId(xmlid);
                    if (Flag(context, "import_file") && _models.Keys.Any(k => k.StartsWith(m + ".", StringComparison.Ordinal)))
                    {
                        throw OdooFaultException.Value($"Cannot use an installed module's name ({m}) as the prefix of an imported external id.");
                    }

                    var data = _xmlids.TryGetValue((m, n), out var dataId) ? new KeyValuePair<long, Dictionary<string, object?>>(dataId, _records["ir.model.data"][dataId]) : default;
                    if (data.Value is not null && !Equals(data.Value["model"], model))
                    {
                        throw OdooFaultException.Validation($"For external id {xmlid} when trying to create/update a record of model {model} found record of different model {data.Value["model"]} ({data.Value["res_id"]})");
                    }

                    existing = data.Value?["res_id"] as long?;
                    if (existing is { } target && !_records[model].ContainsKey(target))
                    {
                        // An xmlid left over from a deleted record is dropped and the record created again (_load_records).
                        Unlink("ir.model.data", [data.Key]);
                        existing = null;
                    }

                    if (existing is null)
                    {
                        var id = (long)Create(model, vals, context, uid);
                        Create("ir.model.data", new Dictionary<string, object?> { ["module"] = m, ["name"] = n, ["model"] = model, ["res_id"] = id, ["noupdate"] = noupdate }, context, uid);
                        ids.Add(id);
                        index++;
                        continue;
                    }
                }

                if (existing is { } found)
                {
                    Write(model, [found], vals, context, uid);
                    ids.Add(found);
                }
                else
                {
                    ids.Add(Create(model, vals, context, uid));
                }
            }
            catch (OdooFaultException e)
            {
                messages.Add(new Dictionary<string, object?> { ["type"] = "error", ["message"] = e.Message, ["record"] = (long)index, ["rows"] = new Dictionary<string, object?> { ["from"] = (long)index, ["to"] = (long)index } });
            }

            index++;
        }

        if (messages.Count > 0)
        {
            // All or nothing: undo every row this call wrote.
            for (var i = _undo.Count - 1; i >= savepoint; i--)
            {
                _undo[i]();
            }

            _undo.RemoveRange(savepoint, _undo.Count - savepoint);
            return new Dictionary<string, object?> { ["ids"] = false, ["messages"] = messages, ["nextrow"] = 0L };
        }

        return new Dictionary<string, object?> { ["ids"] = ids, ["messages"] = messages, ["nextrow"] = 0L };
    }

    /// <summary>module.name: the module is everything before the first dot.</summary>
    private static (string Module, string Name) SplitXmlId(string xmlid)
    {
        var dot = xmlid.IndexOf('.', StringComparison.Ordinal);
        return (xmlid[..dot], xmlid[(dot + 1)..]);
    }

    private long ResolveXmlId(string xmlid, string module, FieldDef def)
    {
        var full = xmlid.Contains('.', StringComparison.Ordinal) ? xmlid : $"{module}.{xmlid}";
        var (m, n) = SplitXmlId(full);
        return (_xmlids.TryGetValue((m, n), out var dataId) && Equals(_records["ir.model.data"][dataId]["model"], def.Relation) ? _records["ir.model.data"][dataId]["res_id"] as long? : null)
            ?? throw OdooFaultException.Value($"No matching record found for external id '{full}' in field '{def.Name}'");
    }

    /// <summary>A <c>field/.id</c> cell: the id must belong to an existing record that a search sees (active, unless the
    /// context turns active_test off).</summary>
    private long ResolveDatabaseId(string text, FieldDef def, IReadOnlyDictionary<string, object?> context) =>
        long.TryParse(text, CultureInfo.InvariantCulture, out var id) && _records[def.Relation!].TryGetValue(id, out var target)
            && (target.GetValueOrDefault("active") is not false || context.GetValueOrDefault("active_test") is false)
            ? id
            : throw OdooFaultException.Value($"No matching record found for database id '{text}' in field '{def.Name}'");

    /// <summary>
    /// load() values are strings; they become what create() takes (booleans, numbers, selection keys). Datetimes are
    /// read in the context's time zone, else the user's, and stored in UTC (ir_fields.py).
    /// </summary>
    private static object? LoadValue(string model, FieldDef def, string text, string? tz) => def.Type switch
    {
        "boolean" => text.ToLowerInvariant() is "1" or "true" or "yes" or "y",
        "integer" or "many2one_reference" => long.TryParse(text, CultureInfo.InvariantCulture, out var n) ? n : throw OdooFaultException.Value($"'{text}' does not seem to be an integer for field '{def.Name}'"),
        "float" or "monetary" => double.TryParse(text, CultureInfo.InvariantCulture, out var d) ? d : throw OdooFaultException.Value($"'{text}' does not seem to be a number for field '{def.Name}'"),
        "many2one" => throw OdooFaultException.Value($"Use {def.Name}/id or {def.Name}/.id to link records in an import ({model})."),
        "datetime" => DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? (tz is null or "UTC" ? local : TimeZoneInfo.ConvertTimeToUtc(local, TimeZoneInfo.FindSystemTimeZoneById(tz))).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : throw OdooFaultException.Value($"'{text}' does not seem to be a valid datetime for field '{def.Name}'. Use the format '2012-12-31 23:59:59'"),
        _ => text,
    };
}
