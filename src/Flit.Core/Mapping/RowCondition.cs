using Flit.Core.Records;

namespace Flit.Core.Mapping;

/// <summary>
/// A condition on a source row, as specs write them: <c>column=value</c>, <c>column!=value</c> (case-insensitive;
/// several values separated by <c>|</c>: ArkCase names a FOIA request <c>FOIARequest</c> or
/// <c>gov.foia.model.FOIARequest</c>; <c>true</c>/<c>false</c> match any yes/no spelling), <c>column~text</c> and
/// <c>column!~text</c> (contains), joined with <c>&amp;</c>.
/// </summary>
public sealed class RowCondition
{
    private readonly (string Column, string[] Values, bool Contains, bool Negated)[] _terms;

    private RowCondition(string text, (string, string[], bool, bool)[] terms)
    {
        Text = text;
        _terms = terms;
    }

    public string Text { get; }

    /// <summary>Parses a condition; a term without an operator is a spec error naming the term.</summary>
    public static RowCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = text.Split('&', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(term =>
        {
            foreach (var (op, contains, negated) in new[] { ("!~", true, true), ("!=", false, true), ("~", true, false), ("=", false, false) })
            {
                var at = term.IndexOf(op, StringComparison.Ordinal);
                if (at > 0)
                {
                    var values = term[(at + op.Length)..].Split('|', StringSplitOptions.TrimEntries);
                    return (term[..at].Trim(), values, contains, negated);
                }
            }

            throw new MappingSpecException($"'{term}' in '{text}' must be column=value, column!=value, column~text or column!~text (several terms joined with &).");
        }).ToArray();
        return terms.Length > 0 ? new RowCondition(text, terms) : throw new MappingSpecException($"The condition '{text}' is empty.");
    }

    public bool Matches(SourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var (column, values, contains, negated) in _terms)
        {
            var value = record[column]?.Trim() ?? string.Empty;
            var any = values.Any(v => contains ? value.Contains(v, StringComparison.OrdinalIgnoreCase) : SameValue(value, v));
            if (any == negated)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Equal ignoring case; a yes/no value in the spec matches every spelling of it in the export.</summary>
    private static bool SameValue(string actual, string expected)
    {
        if (string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var wanted = Transforms.Transforms.Boolean(expected);
        return wanted is { Error: null, Value: bool b } && Transforms.Transforms.Boolean(actual) is { Error: null, Value: bool a } && a == b;
    }

    public override string ToString() => Text;
}
