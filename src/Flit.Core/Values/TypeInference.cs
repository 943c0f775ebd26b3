using System.Globalization;

namespace Flit.Core.Values;

/// <summary>A value type as both destinations name it.</summary>
/// <param name="Kind">Short kind: text, longtext, integer, decimal, boolean, date, datetime, email, url, picklist.</param>
/// <param name="OdooType">Odoo <c>ttype</c>.</param>
/// <param name="DataverseType">Dataverse attribute metadata type.</param>
/// <param name="Options">Picklist values when a picklist.</param>
public sealed record InferredType(string Kind, string OdooType, string DataverseType, IReadOnlyList<string>? Options = null);

/// <summary>
/// Infers a custom property's type from its values: every non-empty value must fit the type (one odd value makes
/// it text); few distinct values over many rows make a picklist.
/// </summary>
public sealed class TypeInference
{
    /// <summary>At most this many distinct values make a picklist (Odoo selection / Dataverse choice).</summary>
    public const int MaxPicklistValues = 20;

    private readonly Dictionary<string, int> _distinct = new(StringComparer.Ordinal);
    private bool _allInteger = true;
    private bool _allDecimal = true;
    private bool _allBoolean = true;
    private bool _allDate = true;
    private bool _allDateTime = true;
    private bool _allEmail = true;
    private bool _allUrl = true;
    private int _longest;
    private long _count;

    public void Observe(string? value)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            return;
        }

        _count++;
        _longest = Math.Max(_longest, v.Length);
        if (_distinct.Count <= MaxPicklistValues)
        {
            _distinct[v] = _distinct.GetValueOrDefault(v) + 1;
        }

        _allInteger &= long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) && !(v.Length > 1 && v[0] == '0');
        _allDecimal &= decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out _) && !(v.Length > 1 && v[0] == '0' && v[1] != '.');
        _allBoolean &= v.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "y" or "n" or "1" or "0";
        var parsed = DateValues.TryParse(v, DateOrder.DayFirst, out _, out var local, out _) || DateValues.TryParse(v, DateOrder.MonthFirst, out _, out local, out _);
        _allDate &= parsed && local.TimeOfDay == TimeSpan.Zero && !v.Contains(':', StringComparison.Ordinal) && v.Length >= 6;
        _allDateTime &= parsed && v.Length >= 6;
        _allEmail &= EmailValues.IsValid(v);
        _allUrl &= Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
    }

    public InferredType Infer()
    {
        if (_count == 0)
        {
            return new InferredType("text", "char", "String");
        }

        if (_allBoolean && _distinct.Count <= 2)
        {
            return new InferredType("boolean", "boolean", "Boolean");
        }

        if (_allInteger)
        {
            return new InferredType("integer", "integer", "Integer");
        }

        if (_allDecimal)
        {
            return new InferredType("decimal", "float", "Decimal");
        }

        if (_allDate)
        {
            return new InferredType("date", "date", "DateTime");
        }

        if (_allDateTime)
        {
            return new InferredType("datetime", "datetime", "DateTime");
        }

        if (_allEmail)
        {
            return new InferredType("email", "char", "String");
        }

        if (_allUrl)
        {
            return new InferredType("url", "char", "String");
        }

        if (_distinct.Count <= MaxPicklistValues && _count >= _distinct.Count * 3L && _longest <= 60)
        {
            return new InferredType("picklist", "selection", "Picklist", [.. _distinct.Keys.Order(StringComparer.Ordinal)]);
        }

        return _longest > 255 ? new InferredType("longtext", "text", "Memo") : new InferredType("text", "char", "String");
    }
}
