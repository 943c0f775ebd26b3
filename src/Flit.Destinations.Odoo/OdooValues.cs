using System.Globalization;
using Flit.Core.Destinations;
using Flit.XmlRpc;

namespace Flit.Destinations.Odoo;

/// <summary>
/// Values in the form Odoo takes them. Ids are integers on the wire, always: Many2one keeps only an <c>int</c> (a float
/// such as <c>39.0</c>, which a JSON round trip can produce, is silently lost — facts #16), so every id-typed value is
/// made a long here, whatever shape it arrived in.
/// </summary>
internal static class OdooValues
{
    /// <summary>Field types whose values are record ids.</summary>
    public static bool HoldsIds(string? type) => type is "many2one" or "many2one_reference" or "many2many" or "one2many";

    /// <summary>Values for <c>write</c>/<c>create</c>: naive UTC datetimes, ISO dates, integer ids and numbers by type.</summary>
    public static Dictionary<string, object?> ForWrite(IReadOnlyDictionary<string, DestinationField> fields, IEnumerable<KeyValuePair<string, object?>> values)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            result[name] = ForWrite(fields.TryGetValue(name, out var field) ? field.Type : null, value);
        }

        return result;
    }

    public static object? ForWrite(string? type, object? value) => value switch
    {
        null => type == "boolean" ? false : null,
        FileBytes file => new Base64String(file.Bytes),
        DateTime d => d.ToString(type == "date" ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ when type is "many2one" or "many2one_reference" or "integer" => Integer(value) ?? value,
        _ when type is "many2many" or "one2many" => Commands(value),
        string s when type is "float" or "monetary" && double.TryParse(s, CultureInfo.InvariantCulture, out var d) => d,
        _ => value,
    };

    /// <summary>A whole number in any of the shapes a value can arrive in (long, int, integral double, digits), else null.</summary>
    public static long? Integer(object? value) => value switch
    {
        long n => n,
        int n => n,
        double d when double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < long.MaxValue => (long)d,
        decimal m when decimal.Floor(m) == m => (long)m,
        string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    /// <summary>Whether a value Odoo answered holds something: not False, empty text, zero or an empty list.</summary>
    public static bool HasValue(object? value) => value switch
    {
        null or false => false,
        string text => text.Length > 0,
        long or int or double or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture) != 0,
        System.Collections.IEnumerable items => items.Cast<object?>().Any(),
        _ => true,
    };

    /// <summary>x2many values as commands with integer ids: a plain id list becomes (6, 0, ids), which replaces the set.</summary>
    private static object? Commands(object? value)
    {
        if (value is not System.Collections.IEnumerable items || value is string)
        {
            return value;
        }

        var list = items.Cast<object?>().ToList();
        if (list.Count > 0 && list.All(i => Integer(i) is not null))
        {
            return new List<object?> { new List<object?> { 6L, 0L, list.Select(i => (object?)Integer(i)).ToList() } };
        }

        return list.Select(command => command is System.Collections.IEnumerable parts && command is not string
            ? (object?)parts.Cast<object?>().Select(part => part is System.Collections.IEnumerable ids && part is not string
                ? (object?)ids.Cast<object?>().Select(id => (object?)(Integer(id) ?? id)).ToList()
                : Integer(part) ?? part).ToList()
            : command).ToList();
    }

    /// <summary>
    /// load() takes text: links by database id (<c>field/.id</c>), booleans as 1/0, naive UTC datetimes read in the
    /// context's time zone (UTC here, so they stay as they are), empty text for no value.
    /// </summary>
    /// <remarks>A file's content stays bytes (<see cref="Base64String"/>): its base64 text is written straight into the
    /// request.</remarks>
    public static object LoadText(IReadOnlyDictionary<string, DestinationField> fields, string name, object? value)
    {
        var type = fields.TryGetValue(name, out var field) ? field.Type : null;
        return value switch
        {
            null or false when type != "boolean" => string.Empty,
            FileBytes file => new Base64String(file.Bytes),
            bool b => b ? "1" : "0",
            DateTime d => d.ToString(type == "date" ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ when HoldsIds(type) && Integer(value) is { } id => id.ToString(CultureInfo.InvariantCulture),
            IEnumerable<object?> many when value is not string => string.Join(',', many.Select(v => Integer(v)?.ToString(CultureInfo.InvariantCulture) ?? Convert.ToString(v, CultureInfo.InvariantCulture))),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };
    }

    /// <summary>A value as read() returns it, in the form write() takes back: a many2one pair becomes its id, an x2many
    /// id list a (6, 0, ids) command, Odoo's False for an empty non-boolean value null.</summary>
    /// <summary>A record's <c>write_date</c> as read (UTC text, second precision); null when Odoo gives none.</summary>
    public static DateTimeOffset? WriteDate(object? value) =>
        value is string text && DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : null;

    public static object? FromRead(DestinationField field, object? value) => field.Type switch
    {
        "many2one" => value is IList<object?> { Count: > 0 } pair ? Integer(pair[0]) : null,
        "many2many" => new List<object?> { new List<object?> { 6L, 0L, (value as IEnumerable<object?> ?? []).Select(i => (object?)Integer(i)).ToList() } },
        "many2one_reference" or "integer" => Integer(value) ?? 0L,
        "boolean" => value is true,
        _ => value is false ? null : value,
    };
}
