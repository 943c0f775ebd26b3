using System.Globalization;
using System.Text;

namespace Flit.Storage.Azure;

/// <summary>
/// Table Storage keys made from engine values. PartitionKey and RowKey forbid '/', '\', '#', '?' and control
/// characters, so those (and '%', the escape itself; '|', which joins parts; '~', which marks a hashed key) become %XX
/// of their UTF-16 code unit: distinct values stay
/// distinct keys, and a key reads back to its value.
/// </summary>
internal static class TableKeys
{
    /// <summary>Joins key parts; '|' cannot occur inside an escaped part, so a prefix of parts is a key range.</summary>
    public const char Separator = '|';

    /// <summary>Table Storage's limit on a key: 1 KiB, i.e. 512 UTF-16 characters.</summary>
    public const int MaxKeyLength = 512;

    public static string Escape(string value) => Checked(EscapeUnbounded(value));

    /// <summary>The escaped value, however long (the caller keeps the key within <see cref="MaxKeyLength"/>).</summary>
    public static string EscapeUnbounded(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length && int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>A key of several escaped parts.</summary>
    public static string Join(params string[] parts) => string.Join(Separator, parts.Select(Escape));

    /// <summary>The filter for every key that starts with the given parts (e.g. all object types of a migration).</summary>
    public static string PrefixFilter(string property, params string[] parts)
    {
        var from = Join(parts) + Separator;
        var to = from[..^1] + (char)(Separator + 1);
        return $"{property} ge '{Quote(from)}' and {property} lt '{Quote(to)}'";
    }

    /// <summary>A value inside an OData string literal.</summary>
    public static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    private static bool NeedsEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or '%' or '~' or Separator || char.IsControl(c);

    private static string Checked(string key) =>
        key.Length <= MaxKeyLength
            ? key
            : throw new ArgumentException($"A value of {key.Length} characters is too long for a Table Storage key (at most {MaxKeyLength}): '{key[..40]}…'.", nameof(key));
}
