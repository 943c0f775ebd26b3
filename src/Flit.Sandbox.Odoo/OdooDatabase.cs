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
    private static readonly string[] AddressFields = ["street", "street2", "city", "zip", "state_id", "country_id"];

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
            foreach (var model in _models.Keys.Order(StringComparer.Ordinal))
            {
                Insert("ir.model", new() { ["model"] = model, ["name"] = model });
            }

            foreach (var user in options.Users)
            {
                var partner = Insert("res.partner", new() { ["name"] = user.Name, ["email"] = user.Email, ["type"] = "contact", ["active"] = true });
                Insert("res.users", new() { ["name"] = user.Name, ["login"] = user.Login, ["email"] = user.Email, ["partner_id"] = partner, ["active"] = true, ["tz"] = user.Tz });
            }

            foreach (var (name, code) in new[] { ("United Kingdom", "GB"), ("United States", "US"), ("Australia", "AU"), ("Denmark", "DK"), ("Ireland", "IE") })
            {
                Insert("res.country", new() { ["name"] = name, ["code"] = code });
            }

            // A part of the states Odoo's base data ships (base/data/res.country.state.csv): Australia's and some of
            // the United States'. Odoo ships none for the United Kingdom or Denmark, so counties and regions match nothing.
            var countries = _records["res.country"].ToDictionary(c => (string)c.Value["code"]!, c => c.Key);
            foreach (var (country, code, name) in new[]
            {
                ("AU", "ACT", "Australian Capital Territory"), ("AU", "NSW", "New South Wales"), ("AU", "NT", "Northern Territory"), ("AU", "QLD", "Queensland"),
                ("AU", "SA", "South Australia"), ("AU", "TAS", "Tasmania"), ("AU", "VIC", "Victoria"), ("AU", "WA", "Western Australia"),
                ("US", "CA", "California"), ("US", "FL", "Florida"), ("US", "IL", "Illinois"), ("US", "MA", "Massachusetts"), ("US", "NY", "New York"),
                ("US", "TX", "Texas"), ("US", "WA", "Washington"),
            })
            {
                Insert("res.country.state", new() { ["name"] = name, ["code"] = code, ["country_id"] = countries[country] });
            }

            // What mail ships: mail.mt_comment ("Discussions") and mail.mt_note ("Note", internal).
            Insert("mail.message.subtype", new() { ["name"] = "Discussions", ["internal"] = false, ["default"] = true });
            Insert("mail.message.subtype", new() { ["name"] = "Note", ["internal"] = true, ["default"] = false });

            foreach (var name in new[] { "To-Do", "Email", "Call", "Meeting" })
            {
                Insert("mail.activity.type", new() { ["name"] = name });
            }

            foreach (var (name, sequence, won) in new[] { ("New", 1, false), ("Qualified", 2, false), ("Proposition", 3, false), ("Won", 70, true) })
            {
                Insert("crm.stage", new() { ["name"] = name, ["sequence"] = sequence, ["is_won"] = won });
            }

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
                    "load" => Load(model, Fields(Arg(args, kwargs, 0, "fields")) ?? [], Arg(args, kwargs, 1, "data") as IEnumerable<object?> ?? [], context, uid),
                    _ => throw new OdooFaultException(1, $"The method '{method}' does not exist on the model '{model}'", "builtins.AttributeError"),
                };
            }
            catch
            {
                for (var i = _undo.Count - 1; i >= 0; i--)
                {
                    _undo[i]();
                }

                throw;
            }
            finally
            {
                _undo = null;
            }
        }
    }

    /// <summary>Every record of every model, sorted by model and id, for field-by-field comparison. Empty fields are
    /// left out: in Odoo's database an unset field and one written empty are the same NULL (read as False).</summary>
    public SortedDictionary<string, List<Dictionary<string, object?>>> Dump()
    {
        lock (_lock)
        {
            return new SortedDictionary<string, List<Dictionary<string, object?>>>(
                _records.ToDictionary(m => m.Key, m => m.Value.Select(r => new Dictionary<string, object?>(r.Value.Where(v => !v.Key.StartsWith("__", StringComparison.Ordinal) && v.Value is not (null or false)).OrderBy(v => v.Key, StringComparer.Ordinal)) { ["id"] = r.Key }).ToList()),
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
            _records[model][id] = updated;
            if (model == "crm.lead" && (changes.ContainsKey("stage_id") || changes.ContainsKey("probability") || changes.ContainsKey("active")))
            {
                var won = updated["stage_id"] is long stage && _records["crm.stage"].TryGetValue(stage, out var s) && s.GetValueOrDefault("is_won") is true;
                if (won || updated.GetValueOrDefault("probability") is >= 100d || updated.GetValueOrDefault("active") is false)
                {
                    updated["date_closed"] = Now();
                }
            }

            if (OdooModels.MailThread.Contains(model) && !Flag(context, "tracking_disable") && !Flag(context, "mail_notrack"))
            {
                Insert("mail.message", new() { ["model"] = model, ["res_id"] = id, ["body"] = "<p>Values changed</p>", ["message_type"] = "notification", ["date"] = Now() });
            }
        }

        return true;
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
                var before = partner;
                _undo!.Add(() => _records["res.partner"][partnerId] = before);
                partner = new Dictionary<string, object?>(partner)
                {
                    [partnerField] = lead.GetValueOrDefault(leadField) is string { Length: > 0 } value ? value : null,
                    ["write_uid"] = uid,
                    ["write_date"] = Now(),
                };
                _records["res.partner"][partnerId] = partner;
            }
        }
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
                row[field] = Output(defs[field], field == "id" ? id : record.GetValueOrDefault(field), field == "display_name" ? record.GetValueOrDefault("name") : null);
            }

            result.Add(row);
        }

        return result;
    }

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

    private List<long> Search(string model, object? domain, IReadOnlyDictionary<string, object?> kwargs, IReadOnlyDictionary<string, object?> context)
    {
        var predicate = Compile(model, (domain as IEnumerable<object?> ?? []).ToList());
        var activeTest = !(context.GetValueOrDefault("active_test") is false) && _models[model].ContainsKey("active");
        var matches = _records[model].Where(r => predicate(r.Value) && (!activeTest || r.Value.GetValueOrDefault("active") is not false)).Select(r => r.Key);
        if (kwargs.GetValueOrDefault("offset") is long offset)
        {
            matches = matches.Skip((int)offset);
        }

        if (kwargs.GetValueOrDefault("limit") is long limit and > 0)
        {
            matches = matches.Take((int)limit);
        }

        return [.. matches];
    }

    /// <summary>
    /// Turns a domain into one predicate, once per search: prefix operators '&amp;', '|' and '!' over leaves, with an
    /// implicit '&amp;' between top-level terms (Odoo's normal form); 'in' becomes a set lookup.
    /// </summary>
    private Func<Dictionary<string, object?>, bool> Compile(string model, List<object?> terms)
    {
        var position = 0;
        Func<Dictionary<string, object?>, bool> Next()
        {
            if (position >= terms.Count)
            {
                throw OdooFaultException.Value($"Invalid domain: an operator is missing its operands in {string.Join(", ", terms)}");
            }

            var term = terms[position++];
            switch (term)
            {
                case "&":
                    {
                        var (left, right) = (Next(), Next());
                        return r => left(r) && right(r);
                    }

                case "|":
                    {
                        var (left, right) = (Next(), Next());
                        return r => left(r) || right(r);
                    }

                case "!":
                    {
                        var inner = Next();
                        return r => !inner(r);
                    }

                default:
                    return Leaf(model, term);
            }
        }

        var all = new List<Func<Dictionary<string, object?>, bool>>();
        while (position < terms.Count)
        {
            all.Add(Next());
        }

        return r => all.TrueForAll(p => p(r));
    }

    private Func<Dictionary<string, object?>, bool> Leaf(string model, object? term)
    {
        if (term is not IList<object?> { Count: 3 } leaf || leaf[0] is not string field || leaf[1] is not string op2)
        {
            throw OdooFaultException.Value($"Invalid leaf {term}");
        }

        if (!_models[model].ContainsKey(field) && field != "id")
        {
            throw OdooFaultException.Value($"Invalid field {model}.{field} in leaf {string.Join(", ", leaf)}");
        }

        var key = field == "id" ? "__id" : field;
        if (op2 is "in" or "not in")
        {
            var set = (leaf[2] as IEnumerable<object?> ?? []).Select(Normal).ToHashSet();
            var negate = op2 == "not in";
            return r => set.Contains(Normal(r.GetValueOrDefault(key))) != negate;
        }

        var expected = leaf[2];
        return r => Compare(r.GetValueOrDefault(key), op2, expected);
    }

    private static object? Normal(object? value) => value switch
    {
        int i => (long)i,
        false => null,
        _ => value,
    };

    private static bool Compare(object? actual, string op, object? expected) => op switch
    {
        "=" => SameValue(actual, expected),
        "!=" => !SameValue(actual, expected),
        "in" => (expected as IEnumerable<object?> ?? []).Any(e => SameValue(actual, e)),
        "not in" => !(expected as IEnumerable<object?> ?? []).Any(e => SameValue(actual, e)),
        "ilike" => actual is string a && expected is string e && a.Contains(e, StringComparison.OrdinalIgnoreCase),
        "like" => actual is string a2 && expected is string e2 && a2.Contains(e2, StringComparison.Ordinal),
        "=like" or "=ilike" => actual is string a3 && expected is string e3 && Like(a3, e3, op == "=ilike"),
        ">" or "<" or ">=" or "<=" => Order(actual, expected) is { } c && op switch { ">" => c > 0, "<" => c < 0, ">=" => c >= 0, _ => c <= 0 },
        _ => throw OdooFaultException.Value($"Invalid operator {op}"),
    };

    /// <summary>SQL LIKE: '%' any run, '_' one character.</summary>
    private static bool Like(string value, string pattern, bool ignoreCase) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$",
            (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static int? Order(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (long x, double y) => ((double)x).CompareTo(y),
        (double x, long y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        _ => null,
    };

    private static bool SameValue(object? a, object? b) =>
        (a, b) switch
        {
            (null, false) or (false, null) => true,
            (long x, long y) => x == y,
            (long x, int y) => x == y,
            _ => Equals(a, b),
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

    private Dictionary<string, object?> FieldsGet(string model, IReadOnlyList<string>? attributes)
    {
        var wanted = attributes is { Count: > 0 } ? attributes : ["string", "type", "required", "readonly", "relation", "selection"];
        return _models[model].Values.ToDictionary(f => f.Name, f => (object?)wanted.ToDictionary(a => a, a => a switch
        {
            "string" => f.Name,
            "type" => f.Type,
            "required" => f.Required,
            "readonly" => f.Readonly,
            "relation" => (object?)f.Relation ?? false,
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
                return value is long or int ? System.Convert.ToInt64(value, CultureInfo.InvariantCulture) : throw OdooFaultException.Value($"invalid input syntax for type integer: \"{value}\"");
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
                var id = value is long or int ? System.Convert.ToInt64(value, CultureInfo.InvariantCulture) : throw OdooFaultException.Value($"Wrong value for {model}.{def.Name}: {value}");
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

    private static void Defaults(string model, Dictionary<string, object?> record)
    {
        if (model == "res.partner")
        {
            record.TryAdd("type", "contact");
            record.TryAdd("active", true);
        }
        else if (model is "crm.lead" or "crm.team" or "project.project")
        {
            record.TryAdd("active", true);
        }
    }

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
