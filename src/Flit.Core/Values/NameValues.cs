using System.Globalization;
using System.Text;

namespace Flit.Core.Values;

/// <summary>Person and company names as CRMs store them.</summary>
public static class NameValues
{
    private static readonly HashSet<string> Particles = new(StringComparer.OrdinalIgnoreCase) { "van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "la", "le", "st.", "bin", "al", "ter", "ten" };

    private static readonly HashSet<string> Suffixes = new(StringComparer.OrdinalIgnoreCase) { "jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "md", "esq", "esq." };

    /// <summary>Legal forms as word sequences (punctuation already turned into spaces, as in the key).</summary>
    private static readonly string[][] LegalForms =
        [.. new[] { "pty ltd", "pty limited", "limited", "ltd", "llc", "l l c", "inc", "incorporated", "corp", "corporation", "co", "company", "gmbh", "ag", "plc", "llp", "s a", "sa", "bv", "b v", "a/s", "aps", "ab", "oy", "srl", "spa" }
            .Select(f => f.Split(' '))];

    /// <summary>
    /// Splits a full name into first and last: "Last, First"; particles stay with the last name (Ludwig van
    /// Beethoven → Ludwig / van Beethoven); suffixes stay with the last name; a single word is a last name;
    /// CJK names without spaces keep the family name (first character) as last name.
    /// </summary>
    public static (string First, string Last) Split(string? fullName)
    {
        var name = Collapse(fullName);
        if (name.Length == 0)
        {
            return (string.Empty, string.Empty);
        }

        var comma = name.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0 && !Suffixes.Contains(name[(comma + 1)..].Trim()))
        {
            return (name[(comma + 1)..].Trim(), name[..comma].Trim());
        }

        var words = name.Split(' ');
        if (words.Length == 1)
        {
            return IsCjk(name) && name.Length is >= 2 and <= 4 ? (name[1..], name[..1]) : (string.Empty, name);
        }

        var end = words.Length;
        var suffix = string.Empty;
        if (Suffixes.Contains(words[^1].TrimEnd(',')) && words.Length > 2)
        {
            suffix = " " + words[^1];
            end--;
        }

        var lastStart = end - 1;
        while (lastStart > 1 && Particles.Contains(words[lastStart - 1]))
        {
            lastStart--;
        }

        return (string.Join(' ', words[..lastStart]), string.Join(' ', words[lastStart..end]) + suffix);
    }

    /// <summary>Joins first and last name; either may be empty.</summary>
    public static string Join(string? first, string? last) => Collapse($"{first} {last}");

    /// <summary>
    /// A key that is equal for spellings of one company: case, accents, punctuation, whitespace and legal form are
    /// ignored ("Acme Ltd", "ACME Limited", "acme") — the N:1 merge of flat contacts' organisations.
    /// </summary>
    public static string CompanyKey(string? company)
    {
        var text = Collapse(company).ToLowerInvariant().Replace("&", " and ", StringComparison.Ordinal);
        var builder = new StringBuilder(text.Length);
        foreach (var c in System.Text.Ascii.IsValid(text) ? text : text.Normalize(NormalizationForm.FormD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(char.IsLetterOrDigit(c) || c == '/' ? c : ' ');
        }

        var words = builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var changed = true;
        while (changed && words.Count > 1)
        {
            changed = false;
            foreach (var formWords in LegalForms)
            {
                if (words.Count > formWords.Length && EndsWith(words, formWords))
                {
                    words.RemoveRange(words.Count - formWords.Length, formWords.Length);
                    changed = true;
                    break;
                }
            }
        }

        if (words.Count > 1 && words[0] == "the")
        {
            words.RemoveAt(0);
        }

        return string.Join('-', words);
    }

    private static bool EndsWith(List<string> words, string[] tail)
    {
        for (var i = 0; i < tail.Length; i++)
        {
            if (!string.Equals(words[words.Count - tail.Length + i], tail[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string Collapse(string? text) =>
        string.Join(' ', (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static bool IsCjk(string text) => text.All(c => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3040' and <= '\u30FF' or >= '\uAC00' and <= '\uD7AF');
}
