using System.Collections;
using System.Globalization;

namespace Flit.Activities.Reporting;

/// <summary>One field of one sampled record: what the mapping says it should hold and what the destination holds.</summary>
public sealed record FieldDifference(string SourceObject, string SourceId, string File, long Line, string ExternalId, string Field, string Expected, string Actual, bool Matches);

/// <summary>
/// Compares expected and read-back values in a destination-neutral text form: many2one pairs compare by id,
/// empty equals Odoo's <c>False</c>, datetimes by their UTC text, and an HTML field's wrapping paragraph (Odoo wraps
/// plain text written to an HTML field in &lt;p&gt;) is not a difference.
/// </summary>
public static class FieldDiff
{
    public static string Normalize(object? value) => value switch
    {
        null => string.Empty,
        string s => Unwrap(s.Trim()),
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        decimal m => ((double)m).ToString("R", CultureInfo.InvariantCulture),
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IList { Count: 2 } pair when pair[0] is long or int => Normalize(pair[0]),
        IEnumerable items => string.Join(",", items.Cast<object?>().Select(Normalize).Order(StringComparer.Ordinal)),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Whether a read-back value matches the expected one; an expected empty matches Odoo's False, and a
    /// boolean read back matches the text a mapping gives a boolean field ("true"/"false", "1"/"0").</summary>
    public static bool Matches(object? expected, object? actual)
    {
        if (actual is bool flag && expected is string text && BooleanText(text) is { } wanted)
        {
            return wanted == flag;
        }

        var e = Normalize(expected);
        var a = actual is false && expected is not bool ? string.Empty : Normalize(actual);
        return string.Equals(e, a, StringComparison.Ordinal);
    }

    private static bool? BooleanText(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => null,
    };

    private static string Unwrap(string text) =>
        text.StartsWith("<p>", StringComparison.Ordinal) && text.EndsWith("</p>", StringComparison.Ordinal)
        && text.IndexOf("<p>", 3, StringComparison.Ordinal) < 0
            ? text[3..^4]
            : text;
}
