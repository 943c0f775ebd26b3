using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Flit.Sandbox.Odoo;

/// <summary>
/// The sandbox's in-memory ORM. Each call is one transaction (as each execute_kw is in Odoo): on any error,
/// everything the call changed is undone. It enforces what Odoo enforces for the models the pairs write, and never
/// more forgivingly.
/// </summary>
internal sealed partial class OdooDatabase
{
    private readonly Dictionary<string, Dictionary<string, FieldDef>> _models;
    private readonly Dictionary<string, SortedDictionary<long, Dictionary<string, object?>>> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _nextId = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    /// <summary>The unique (module, name) index of ir.model.data, to its row id.</summary>
    private readonly Dictionary<(string Module, string Name), long> _xmlids = [];
    private readonly TimeProvider _time;
    private List<Action>? _undo;

    public OdooDatabase(OdooSandboxOptions options, TimeProvider time)
    {
        _time = time;
        _models = OdooModels.Create(options.Version);
        foreach (var model in _models.Keys)
        {
            _records[model] = [];
            _nextId[model] = 1;
        }

        lock (_lock)
        {
            _undo = [];
            Seed(options);
            _undo = null;
        }
    }

    public ConcurrentDictionary<(string Model, string Method), int> Calls { get; } = new();

    public long? UserId(string login) => Find("res.users", r => (string?)r["login"] == login);

    /// <summary>Runs one execute_kw as one transaction.</summary>
    public object? Execute(long uid, string model, string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        Calls.AddOrUpdate((model, method), 1, (_, n) => n + 1);
        if (method.StartsWith('_'))
        {
            throw new OdooFaultException(1, $"Private methods (such as {model}.{method}) cannot be called remotely.", "builtins.AttributeError");
        }

        if (!_models.ContainsKey(model))
        {
            throw new OdooFaultException(1, $"Object {model} doesn't exist", "builtins.KeyError");
        }

        var context = kwargs.GetValueOrDefault("context") as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>();
        lock (_lock)
        {
            _undo = [];
            try
            {
                return method switch
                {
                    "create" => Create(model, Arg(args, kwargs, 0, "vals_list"), context, uid),
                    "write" => Write(model, Ids(Arg(args, kwargs, 0, "ids")), Map(Arg(args, kwargs, 1, "vals")), context, uid),
                    "read" => Read(model, Ids(Arg(args, kwargs, 0, "ids")), Fields(Arg(args, kwargs, 1, "fields"))),
                    "search" => Search(model, Arg(args, kwargs, 0, "domain"), kwargs, context),
                    "search_read" => Read(model, Search(model, Arg(args, kwargs, 0, "domain"), kwargs, context), Fields(Arg(args, kwargs, 1, "fields"))),
                    "search_count" => (long)Search(model, Arg(args, kwargs, 0, "domain"), new Dictionary<string, object?>(), context).Count,
                    "unlink" => Unlink(model, Ids(Arg(args, kwargs, 0, "ids"))),
                    "fields_get" => FieldsGet(model, Fields(Arg(args, kwargs, 1, "attributes"))),
                    "default_get" => DefaultGet(model, Fields(Arg(args, kwargs, 0, "fields_list") ?? kwargs.GetValueOrDefault("fields"))),
                    "load" => Load(model, Fields(Arg(args, kwargs, 0, "fields")) ?? [], Arg(args, kwargs, 1, "data") as IEnumerable<object?> ?? [], context, uid),
                    _ => throw new OdooFaultException(1, $"The method '{method}' does not exist on the model '{model}'", "builtins.AttributeError"),
                };
            }
            catch (Exception e)
            {
                for (var i = _undo.Count - 1; i >= 0; i--)
                {
                    _undo[i]();
                }

                // Any other error is what Odoo's server turns a Python exception into: fault 1 with its traceback.
                if (e is OdooFaultException)
                {
                    throw;
                }

                throw new OdooFaultException(1, $"{e.GetType().Name}: {e.Message} {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}", "builtins.RuntimeError");
            }
            finally
            {
                _undo = null;
            }
        }
    }

    /// <summary>Every record of every model, sorted by model and id, for field-by-field comparison. Empty fields are
    /// left out: in Odoo an unset field and one written empty read the same (False, or 0 for numbers, which the API
    /// cannot tell from NULL).</summary>
    public SortedDictionary<string, List<Dictionary<string, object?>>> Dump()
    {
        lock (_lock)
        {
            return new SortedDictionary<string, List<Dictionary<string, object?>>>(
                _records.ToDictionary(m => m.Key, m => m.Value.Select(r => new Dictionary<string, object?>(r.Value.Where(v => !v.Key.StartsWith("__", StringComparison.Ordinal) && v.Value is not (null or false or 0L or 0d)).OrderBy(v => v.Key, StringComparer.Ordinal)) { ["id"] = r.Key }).ToList()),
                StringComparer.Ordinal);
        }
    }

    private object Create(string model, object? valsList, IReadOnlyDictionary<string, object?> context, long uid)
    {
        var single = valsList is IReadOnlyDictionary<string, object?>;
        var list = single ? [valsList] : valsList as IEnumerable<object?> ?? throw OdooFaultException.Value("create() expects a dict or a list of dicts");
        var ids = new List<object?>();
        foreach (var item in list)
        {
            var vals = Map(item);
            if (model == "ir.model.fields")
            {
                ids.Add(CreateCustomField(vals));
                continue;
            }

            var record = Prepare(model, vals, isCreate: true);
            record["create_uid"] = uid;
            record["write_uid"] = uid;
            if (model == "ir.model.data" && _xmlids.ContainsKey(((string)record["module"]!, (string)record["name"]!)))
            {
                throw OdooFaultException.Validation($"duplicate key value violates unique constraint \"ir_model_data_module_name_uniq_index\"\nDETAIL: Key (module, name)=({record["module"]}, {record["name"]}) already exists.");
            }

            Defaults(model, record);
            CheckRequired(model, record);
            CopyParentAddress(model, record);
            SyncLeadContact(model, record, vals.Keys, uid);
            var id = Insert(model, record);
            if (model == "ir.model.data")
            {
                var key = ((string)record["module"]!, (string)record["name"]!);
                _xmlids[key] = id;
                _undo!.Add(() => _xmlids.Remove(key));
            }

            if (OdooModels.MailThread.Contains(model) && !Flag(context, "tracking_disable") && !Flag(context, "mail_create_nolog"))
            {
                Insert("mail.message", new() { ["model"] = model, ["res_id"] = id, ["body"] = "<p>Record created</p>", ["message_type"] = "notification", ["date"] = Now() });
            }

            ids.Add(id);
        }

        return single ? ids[0]! : ids;
    }

    private bool Write(string model, List<long> ids, Dictionary<string, object?> vals, IReadOnlyDictionary<string, object?> context, long uid)
    {
        var changes = Prepare(model, vals, isCreate: false);
        foreach (var id in ids)
        {
            if (!_records[model].TryGetValue(id, out var record))
            {
                throw new OdooFaultException(2, $"Record does not exist or has been deleted.\n(Record: {model}({id},), User: {uid})", "odoo.exceptions.MissingError");
            }

            var before = new Dictionary<string, object?>(record);
            _undo!.Add(() => _records[model][id] = before);
            var updated = new Dictionary<string, object?>(record);
            foreach (var (field, value) in changes)
            {
                updated[field] = value;
            }

            updated["write_uid"] = uid;
            updated["write_date"] = Now();
            CheckRequired(model, updated);
            SyncLeadContact(model, updated, changes.Keys, uid);
            if (changes.ContainsKey("parent_id") || changes.ContainsKey("type"))
            {
                CopyParentAddress(model, updated);
            }

            _records[model][id] = updated;
            SyncChildrenAddress(model, id, updated, changes.Keys, uid);
            if (model == "crm.lead")
            {
                StampClosingDate(before, updated, changes);
            }

            if (OdooModels.MailThread.Contains(model) && !Flag(context, "tracking_disable") && !Flag(context, "mail_notrack"))
            {
                Insert("mail.message", new() { ["model"] = model, ["res_id"] = id, ["body"] = "<p>Values changed</p>", ["message_type"] = "notification", ["date"] = Now() });
            }
        }

        return true;
    }

    private List<Dictionary<string, object?>> Read(string model, List<long> ids, IReadOnlyList<string>? fields)
    {
        var defs = _models[model];
        var wanted = fields is { Count: > 0 } ? fields : [.. defs.Keys];
        foreach (var field in wanted.Where(f => !defs.ContainsKey(f)))
        {
            throw OdooFaultException.Value($"Invalid field '{field}' on model '{model}'");
        }

        var result = new List<Dictionary<string, object?>>();
        foreach (var id in ids)
        {
            // read() leaves out ids that do not exist (no error), as Odoo does.
            if (!_records[model].TryGetValue(id, out var record))
            {
                continue;
            }

            var row = new Dictionary<string, object?>(StringComparer.Ordinal) { ["id"] = id };
            foreach (var field in wanted)
            {
                var def = defs[field];
                var value = field == "id" ? id : def.Type == "one2many" ? Inverse(def, id) : record.GetValueOrDefault(field);
                row[field] = Output(def, value, field == "display_name" ? record.GetValueOrDefault("name") : null);
            }

            result.Add(row);
        }

        return result;
    }

    /// <summary>A one2many's value: the records of its model whose inverse many2one points at this one.</summary>
    private List<object?> Inverse(FieldDef field, long id) =>
        [.. _records[field.Relation!].Where(r => SameValue(r.Value.GetValueOrDefault(field.Inverse!), id)).Select(r => (object?)r.Key)];

    private object? Output(FieldDef field, object? value, object? displayName) => field.Type switch
    {
        _ when field.Name == "display_name" => displayName ?? false,
        "many2one" => value is long id && _records[field.Relation!].TryGetValue(id, out var target) ? new List<object?> { id, target.GetValueOrDefault("name") ?? $"{field.Relation},{id}" } : false,
        "many2many" or "one2many" => value as List<object?> ?? [],
        "boolean" => value is true,
        "integer" or "many2one_reference" => value ?? 0L,
        "float" or "monetary" => value ?? 0d,
        _ => value ?? false,
    };

    private bool Unlink(string model, List<long> ids)
    {
        foreach (var id in ids)
        {
            if (!_records[model].Remove(id, out var record))
            {
                continue;
            }

            _undo!.Add(() => _records[model][id] = record);
            if (model == "ir.model.fields")
            {
                DropColumn((string)record["model"]!, (string)record["name"]!);
            }

            // Odoo removes a record's xmlids and attachments, and for mail.thread models its messages.
            foreach (var (dependent, match) in new (string, Func<Dictionary<string, object?>, bool>)[]
            {
                ("ir.model.data", r => Equals(r["model"], model) && SameValue(r["res_id"], id)),
                ("ir.attachment", r => Equals(r.GetValueOrDefault("res_model"), model) && SameValue(r.GetValueOrDefault("res_id"), id)),
                ("mail.message", r => OdooModels.MailThread.Contains(model) && Equals(r.GetValueOrDefault("model"), model) && SameValue(r.GetValueOrDefault("res_id"), id)),
            })
            {
                foreach (var (depId, dep) in _records[dependent].Where(r => match(r.Value)).ToList())
                {
                    _records[dependent].Remove(depId);
                    _undo.Add(() => _records[dependent][depId] = dep);
                    if (dependent == "ir.model.data")
                    {
                        var key = ((string)dep["module"]!, (string)dep["name"]!);
                        _xmlids.Remove(key);
                        _undo.Add(() => _xmlids[key] = depId);
                    }
                }
            }
        }

        return true;
    }

    /// <summary>Unlinking a custom field drops its column: the definition and every record's value go.</summary>
    private void DropColumn(string model, string name)
    {
        if (_models[model].Remove(name, out var def))
        {
            _undo!.Add(() => _models[model][name] = def);
        }

        foreach (var (id, row) in _records[model])
        {
            if (row.Remove(name, out var value))
            {
                _undo!.Add(() => _records[model][id][name] = value);
            }
        }
    }

    private Dictionary<string, object?> FieldsGet(string model, IReadOnlyList<string>? attributes)
    {
        var wanted = attributes is { Count: > 0 } ? attributes : ["string", "type", "required", "readonly", "relation", "selection"];
        return _models[model].Values.ToDictionary(f => f.Name, f => (object?)wanted.ToDictionary(a => a, a => a switch
        {
            "string" => f.Name,
            "type" => f.Type,
            "required" => f.Required,
            "readonly" => f.Readonly,
            // display_name is computed, not stored; one2many fields are stored (as the other side's column).
            "store" => f.Name != "display_name",
            "relation" => (object?)f.Relation ?? false,
            "depends" => (f.Depends ?? []).Select(d => (object?)d).ToList(),
            "selection" => f.Selection is null ? false : f.Selection.Select(s => (object?)new List<object?> { s, s }).ToList(),
            _ => false,
        }));
    }

    private long CreateCustomField(Dictionary<string, object?> vals)
    {
        var name = vals.GetValueOrDefault("name") as string ?? string.Empty;
        if (!name.StartsWith("x_", StringComparison.Ordinal))
        {
            throw OdooFaultException.Validation("Custom fields must have a name that starts with 'x_'!");
        }

        if (name.Length > 63 || !SqlName().IsMatch(name))
        {
            throw OdooFaultException.Validation($"Field names can only contain characters, digits and underscores (up to 63): {name}");
        }

        if (vals.GetValueOrDefault("model_id") is not long modelId || !_records["ir.model"].TryGetValue(modelId, out var irModel))
        {
            throw OdooFaultException.Validation("a mandatory field is not set. Model: ir.model.fields, Field: model_id");
        }

        var model = (string)irModel["model"]!;
        var type = vals.GetValueOrDefault("ttype") as string ?? throw OdooFaultException.Validation("a mandatory field is not set. Model: ir.model.fields, Field: ttype");
        if (!_models["ir.model.fields"]["ttype"].Selection!.Contains(type))
        {
            throw OdooFaultException.Value($"Wrong value for ir.model.fields.ttype: '{type}'");
        }

        if (_models[model].ContainsKey(name))
        {
            throw OdooFaultException.Validation($"duplicate key value violates unique constraint \"ir_model_fields_name_unique\"\nDETAIL: Key (model, name)=({model}, {name}) already exists.");
        }

        _models[model][name] = new FieldDef(name, type, Relation: vals.GetValueOrDefault("relation") as string);
        _undo!.Add(() => _models[model].Remove(name));
        return Insert("ir.model.fields", new() { ["name"] = name, ["model_id"] = modelId, ["model"] = model, ["field_description"] = vals.GetValueOrDefault("field_description") ?? name, ["ttype"] = type, ["state"] = "manual" });
    }

    /// <summary>Checks and converts incoming values; drops what Odoo silently drops.</summary>
    private Dictionary<string, object?> Prepare(string model, Dictionary<string, object?> vals, bool isCreate)
    {
        var defs = _models[model];
        var record = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (field, value) in vals)
        {
            if (field is "id" or "create_date" or "write_date" or "create_uid" or "write_uid" or "display_name" or "file_size" or "checksum")
            {
                continue;
            }

            if (!defs.TryGetValue(field, out var def))
            {
                throw OdooFaultException.Value($"Invalid field '{field}' on model '{model}'");
            }

            record[field] = Convert(model, def, value);
        }

        if (isCreate && model == "mail.activity" && record.GetValueOrDefault("res_model_id") is long irModel)
        {
            record["res_model"] = _records["ir.model"].TryGetValue(irModel, out var m) ? m["model"] : null;
        }

        return record;
    }

    private object? Convert(string model, FieldDef def, object? value)
    {
        // Integer and Float columns take int(value or 0) and float(value or 0.0): an empty value is stored as zero.
        if (value is null or false && def.Type is "integer" or "many2one_reference")
        {
            return 0L;
        }

        if (value is null or false && def.Type is "float" or "monetary")
        {
            return 0d;
        }

        if (value is null or false && def.Type != "boolean")
        {
            return null;
        }

        switch (def.Type)
        {
            case "char" or "text":
                return value is string s ? s : throw OdooFaultException.Value($"Wrong value for {model}.{def.Name}: {value}");
            case "html":
                var html = value as string ?? string.Empty;
                // Plain text comes back wrapped in a paragraph; text nodes escape only &, < and > (lxml's serialisation).
                return html.TrimStart().StartsWith('<') ? html : $"<p>{html.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)}</p>";
            case "boolean":
                return value is true or 1L or 1;
            case "integer" or "many2one_reference":
                // Python's int(): whole numbers, a float truncated, digits in a string; anything else a ValueError.
                return value switch
                {
                    long or int => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
                    double real when double.IsFinite(real) => (long)Math.Truncate(real),
                    true => 1L,
                    string digits when long.TryParse(digits.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
                    _ => throw OdooFaultException.Value($"invalid literal for int() with base 10: '{value}'"),
                };
            case "float" or "monetary":
                return value is long or int or double ? System.Convert.ToDouble(value, CultureInfo.InvariantCulture) : throw OdooFaultException.Value($"could not convert string to float: '{value}'");
            case "selection":
                return value is string option && def.Selection!.Contains(option) ? option : throw OdooFaultException.Value($"Wrong value for {model}.{def.Name}: {(value is string q ? $"'{q}'" : value)}");
            case "date":
                return value is string d && DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? d
                    : throw OdooFaultException.Value($"time data '{value}' does not match format '%Y-%m-%d'");
            case "datetime":
                // Only naive UTC '%Y-%m-%d %H:%M:%S' (or a shorter prefix): no 'T', no zone, no fraction (fields.py).
                return value is string t && DateTime.TryParseExact(t, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                    ? parsed.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                    : throw OdooFaultException.Value($"time data '{value}' does not match format '%Y-%m-%d %H:%M:%S'");
            case "many2one":
                // Many2one.convert_to_cache keeps only an int: a float id (39.0), a string or a list is silently
                // dropped and the link written empty (facts #16) — as here, so a client that sends one loses it.
                if (value is not (long or int))
                {
                    return null;
                }

                var id = System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return _records[def.Relation!].ContainsKey(id)
                    ? id
                    : throw OdooFaultException.Validation("another model requires the record being deleted. If possible, archive it instead.\n\nModel: " + model + ", Field: " + def.Name);
            case "many2many":
                return Commands(def, value);
            case "binary":
                return value is string b ? b : throw OdooFaultException.Value($"Binary values are base64 strings ({model}.{def.Name})");
            default:
                return value;
        }
    }

    private List<object?> Commands(FieldDef def, object? value)
    {
        var ids = new List<object?>();
        foreach (var command in value as IEnumerable<object?> ?? [])
        {
            // A plain id list replaces the set; (4, id) adds; (6, 0, ids) replaces (facts #10).
            switch (command)
            {
                case long id:
                    ids.Add(id);
                    break;
                case IList<object?> { Count: >= 2 } c when c[0] is long code && code == 4:
                    ids.Add(c[1]);
                    break;
                case IList<object?> { Count: 3 } c when c[0] is long code && code == 6:
                    ids.AddRange(c[2] as IEnumerable<object?> ?? []);
                    break;
                default:
                    throw OdooFaultException.Value($"Unsupported x2many command {command} on {def.Name}");
            }
        }

        foreach (var id in ids)
        {
            if (id is not long existing || !_records[def.Relation!].ContainsKey(existing))
            {
                throw OdooFaultException.Validation($"another model requires the record being deleted. If possible, archive it instead. Field: {def.Name}");
            }
        }

        return ids;
    }

    /// <summary>Fields the values leave out take their default (an explicit empty value keeps its emptiness).</summary>
    private void Defaults(string model, Dictionary<string, object?> record)
    {
        foreach (var def in _models[model].Values.Where(d => d.Default is not null))
        {
            record.TryAdd(def.Name, def.Default);
        }
    }

    /// <summary>default_get(fields_list): the defaults create() would give the fields asked for, if they have one.</summary>
    private Dictionary<string, object?> DefaultGet(string model, IReadOnlyList<string>? fields) =>
        _models[model].Values.Where(d => d.Default is not null && (fields is null || fields.Contains(d.Name)))
            .ToDictionary(d => d.Name, d => d.Default, StringComparer.Ordinal);

    private void CheckRequired(string model, Dictionary<string, object?> record)
    {
        foreach (var def in _models[model].Values.Where(d => d.Required))
        {
            if (record.GetValueOrDefault(def.Name) is null or "")
            {
                throw OdooFaultException.Validation($"a mandatory field is not set.\n\nModel: {model}, Field: {def.Name}");
            }
        }

        if (model == "res.partner" && Equals(record.GetValueOrDefault("type"), "contact") && record.GetValueOrDefault("name") is null or "")
        {
            throw OdooFaultException.Validation("Contacts require a name");
        }
    }

    private long Insert(string model, Dictionary<string, object?> record)
    {
        var id = _nextId[model]++;
        var now = Now();
        record["create_date"] = now;
        record["write_date"] = now;
        record["__id"] = id;
        _records[model][id] = record;
        _undo?.Add(() =>
        {
            _records[model].Remove(id);
            _nextId[model] = id;
        });
        return id;
    }

    private long? Find(string model, Func<Dictionary<string, object?>, bool> match)
    {
        lock (_lock)
        {
            foreach (var (id, record) in _records[model])
            {
                if (match(record))
                {
                    return id;
                }
            }

            return null;
        }
    }

    private string Now() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static bool Flag(IReadOnlyDictionary<string, object?> context, string key) => context.GetValueOrDefault(key) is true;

    private static object? Arg(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, int index, string name) =>
        index < args.Count ? args[index] : kwargs.GetValueOrDefault(name);

    private static Dictionary<string, object?> Map(object? value) =>
        value is IReadOnlyDictionary<string, object?> map ? new Dictionary<string, object?>(map, StringComparer.Ordinal) : throw OdooFaultException.Value("Expected a dict of values");

    private static List<long> Ids(object? value) => value switch
    {
        long id => [id],
        int id => [id],
        IEnumerable<object?> items => [.. items.Select(i => System.Convert.ToInt64(i, CultureInfo.InvariantCulture))],
        _ => [],
    };

    private static List<string>? Fields(object? value) => value is IEnumerable<object?> items ? [.. items.OfType<string>()] : null;

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex SqlName();
}
