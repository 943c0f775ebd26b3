using System.IO.Hashing;
using System.Text;
using Flit.Activities.Reporting;
using Flit.Core.Destinations;
using Flit.Core.Ports;

namespace Flit.Activities.Loading;

/// <summary>
/// Tells an edit made in the destination from the migration's own write. Each write records a digest of the values
/// it sent, in the text form the field-level diff compares (<see cref="FieldDiff.Normalize"/>). A later run about to
/// rewrite the record compares the destination's current values with that digest, when the destination changed the
/// record after the write (its write date; a destination that keeps none is compared by values alone). A difference
/// is an edit someone made there: a conflict, reported with both values and left as it is.
/// </summary>
/// <remarks>
/// The write date alone is not enough: Odoo also moves it when it recomputes or syncs a record (a company's address
/// copied into its contacts), and clocks differ; the values alone cannot see a deletion. File content is never read
/// back, so it is left out of the digest.
/// </remarks>
public static class DestinationEdits
{
    /// <summary>Fields listed in a conflict's message; the rest are counted.</summary>
    private const int ListedFields = 5;

    /// <summary>Characters of a value shown in a conflict's message.</summary>
    private const int ShownChars = 60;

    /// <summary>The digest of a record as sent: every field but file content.</summary>
    public static string WrittenDigest(DestinationRecord sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        return Digest(sent.Values, [.. sent.Values.Where(v => v.Value is not (FileBytes or byte[])).Select(v => v.Key)]);
    }

    /// <summary>The fields a record's next write sends, by name, as its digest was taken: its values but file content,
    /// and its links (sent as the parents' ids).</summary>
    public static IReadOnlyList<string> Fields(DestinationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return [.. record.Values.Where(v => v.Value is not (FileContent or FileBytes or byte[])).Select(v => v.Key).Concat(record.References.Select(r => r.Field)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Why writing <paramref name="record"/> now would overwrite an edit made in the destination after the migration's
    /// write described by <paramref name="entry"/>, or null when it would not. <paramref name="current"/> is what the
    /// destination holds now (null: it no longer holds the record).
    /// </summary>
    public static string? Conflict(string model, DestinationRecord record, IdMapEntry entry, PreImage? current)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(entry);
        var what = $"{model} {entry.DestinationId} ({entry.ExternalId})";
        if (current is null)
        {
            return $"{record.Location}: {what} was deleted in the destination after the migration wrote it at {entry.At:u}; left deleted (use --force to write it again).";
        }

        if (current.ModifiedAt is { } modified && !DestinationEdit.IsLater(modified, entry.At))
        {
            return null;
        }

        var fields = Fields(record);
        if (entry.WrittenDigest is { } digest ? Digest(current.Values, fields) == digest : current.ModifiedAt is null)
        {
            // The same values as written (the write date moved for another reason), or nothing to tell by.
            return null;
        }

        var when = current.ModifiedAt is { } at ? $" at {at:u}" : string.Empty;
        var differences = fields
            .Where(f => record.Values.TryGetValue(f, out var value) && value is not (NamedLookup or UserLookup))
            .Select(f => (Field: f, Destination: Canonical(current.Values.GetValueOrDefault(f)), Source: Canonical(record.Values[f])))
            .Where(d => d.Destination != d.Source)
            .ToList();
        var listed = string.Join("; ", differences.Take(ListedFields).Select(d => $"{d.Field}: destination '{Shown(d.Destination)}', source '{Shown(d.Source)}'"));
        var more = differences.Count > ListedFields ? $" and {differences.Count - ListedFields} more fields" : string.Empty;
        var values = differences.Count == 0 ? "its linked records differ" : listed + more;
        return $"{record.Location}: {what} was changed in the destination{when}, after the migration wrote it at {entry.At:u}, and the source changed too ({values}); left as it is (use --force to overwrite).";
    }

    private static string Digest(IReadOnlyDictionary<string, object?> values, IReadOnlyList<string> fields)
    {
        var text = new StringBuilder();
        foreach (var field in fields.Order(StringComparer.Ordinal))
        {
            // An empty value and an absent one are the same to the destination (Odoo reads both back as False).
            if (Canonical(values.GetValueOrDefault(field)) is { Length: > 0 } value)
            {
                text.Append(field).Append('\u001f').Append(value).Append('\u001e');
            }
        }

        return Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>A value as text: booleans as the mapping writes them, false as empty (Odoo's False).</summary>
    private static string Canonical(object? value) => value switch
    {
        false => string.Empty,
        string s when s.Equals("false", StringComparison.OrdinalIgnoreCase) => string.Empty,
        string s when s.Equals("true", StringComparison.OrdinalIgnoreCase) => "true",
        _ => FieldDiff.Normalize(value),
    };

    private static string Shown(string value) => value.Length <= ShownChars ? value : value[..ShownChars] + "…";
}
