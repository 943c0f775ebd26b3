using System.Globalization;
using System.Text.RegularExpressions;

namespace Flit.Sandbox.Odoo;

/// <summary>Searches: Odoo's domains compiled once per search, with its operators and its handling of archived records.</summary>
internal sealed partial class OdooDatabase
{
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
        if (_models[model].TryGetValue(field, out var def) && def.Type == "one2many")
        {
            return X2ManyLeaf(def, op2, leaf[2]);
        }

        if (op2 is "in" or "not in")
        {
            var set = (leaf[2] as IEnumerable<object?> ?? []).Select(Normal).ToHashSet();
            var negate = op2 == "not in";
            return r => set.Contains(Normal(r.GetValueOrDefault(key))) != negate;
        }

        var expected = leaf[2];
        return r => Compare(r.GetValueOrDefault(key), op2, expected);
    }

    /// <summary>A leaf on a one2many: '=' False means no related record, '!=' False some; an id or 'in' ids means one of them.</summary>
    private Func<Dictionary<string, object?>, bool> X2ManyLeaf(FieldDef def, string op, object? operand)
    {
        var wanted = operand switch
        {
            false or null => null,
            IEnumerable<object?> ids => ids.Select(Normal).ToHashSet(),
            var id => new HashSet<object?> { Normal(id) },
        };
        return op switch
        {
            "=" when wanted is null => r => Inverse(def, (long)r["__id"]!).Count == 0,
            "!=" when wanted is null => r => Inverse(def, (long)r["__id"]!).Count > 0,
            "=" or "in" => r => Inverse(def, (long)r["__id"]!).Any(i => wanted!.Contains(Normal(i))),
            "!=" or "not in" => r => !Inverse(def, (long)r["__id"]!).Any(i => wanted!.Contains(Normal(i))),
            _ => throw OdooFaultException.Value($"Invalid operator {op} on the one2many {def.Name}"),
        };
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
            // Numbers compare by value, as PostgreSQL compares 0.0 with 0.
            (double or long or int, double or long or int) => System.Convert.ToDouble(a, CultureInfo.InvariantCulture) == System.Convert.ToDouble(b, CultureInfo.InvariantCulture),
            _ => Equals(a, b),
        };
}
