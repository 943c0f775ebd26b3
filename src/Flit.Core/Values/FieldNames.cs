using System.Globalization;
using System.Text;

namespace Flit.Core.Values;

/// <summary>Names custom fields the way each destination requires.</summary>
public static class FieldNames
{
    /// <summary>Odoo custom field: <c>x_</c> + ASCII snake case, a valid SQL identifier of at most 63 characters.</summary>
    public static string Odoo(string label)
    {
        var snake = Words(label).Select(w => w.ToLowerInvariant());
        var name = "x_" + string.Join('_', snake);
        if (name == "x_")
        {
            name = "x_field";
        }

        return name.Length <= 63 ? name : name[..54].TrimEnd('_') + "_" + ShortHash(label);
    }

    /// <summary>Dataverse schema name: publisher prefix + '_' + alphanumeric PascalCase (no spaces), ≤ 50 characters.</summary>
    public static string Dataverse(string label, string publisherPrefix = "flit")
    {
        ArgumentException.ThrowIfNullOrEmpty(publisherPrefix);
        var pascal = string.Concat(Words(label).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        if (pascal.Length == 0)
        {
            pascal = "Field";
        }

        var name = publisherPrefix.ToLowerInvariant() + "_" + pascal;
        return name.Length <= 50 ? name : name[..41] + ShortHash(label);
    }

    /// <summary>Makes a name unique among those already taken (appends _2, _3…).</summary>
    public static string Unique(string name, ISet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++)
        {
            candidate = $"{name}_{i.ToString(CultureInfo.InvariantCulture)}";
        }

        return candidate;
    }

    private static List<string> Words(string label)
    {
        // Accents become plain letters; anything else that is not a letter or digit separates words; camelCase splits.
        var plain = new StringBuilder();
        foreach (var c in (label ?? string.Empty).Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsUpper(c) && plain.Length > 0 && char.IsLower(plain[^1]))
            {
                plain.Append(' ');
            }

            plain.Append(char.IsAsciiLetterOrDigit(c) ? c : ' ');
        }

        var words = plain.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (words.Count > 0 && char.IsAsciiDigit(words[0][0]))
        {
            words.Insert(0, "f");
        }

        return words;
    }

    private static string ShortHash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
}
