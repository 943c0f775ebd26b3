using System.Globalization;
using System.Text;
using Flit.Core.Sources;

namespace Flit.Sources.Readers;

/// <summary>
/// Header matching used by every reader and by the mapping proposal: two headers are the same column when they
/// agree after ignoring case, spacing, punctuation, underscores, hyphens and accents.
/// </summary>
public static class HeaderNames
{
    /// <summary>The comparison key of a header: lower-case letters and digits only, accents removed.</summary>
    /// <example><c>"First name"</c>, <c>"FIRST_NAME"</c> and <c>" first-name "</c> all give <c>"firstname"</c>.</example>
    public static string Normalize(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var decomposed = header.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>Whether <paramref name="header"/> names <paramref name="column"/> (its documented name or an alias).</summary>
    public static bool Matches(string header, ColumnLayout column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var key = Normalize(header);
        return column.AllNames.Any(n => Normalize(n) == key);
    }

    /// <summary>The documented column a header stands for, or null when the layout does not document it.</summary>
    public static ColumnLayout? Find(ObjectLayout layout, string header)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var key = Normalize(header);
        return layout.Columns.FirstOrDefault(c => c.AllNames.Any(n => Normalize(n) == key));
    }

    /// <summary>Every header the key column is accepted under, for error messages.</summary>
    internal static IReadOnlyList<string> AcceptedKeyNames(ObjectLayout layout) =>
        layout.Column(layout.KeyColumn)?.AllNames ?? [layout.KeyColumn];

    internal static string Quote(IEnumerable<string> names) =>
        string.Join(", ", names.Select(n => string.Create(CultureInfo.InvariantCulture, $"'{n}'")));
}
