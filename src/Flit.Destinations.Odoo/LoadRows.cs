using Flit.Core.Destinations;

namespace Flit.Destinations.Odoo;

/// <summary>
/// Which rows can share a load() call. load() takes one list of columns for all its rows and turns an empty cell into
/// False (ir_fields.py), which is not always what leaving the column out means:
/// <list type="bullet">
/// <item>on a record that exists, False blanks the field — so an update sends only the values the source carries, and
/// updates go together only with the same columns;</item>
/// <item>on a record the call creates, False and absence mean the same (an empty field) except where create() would
/// fill an absent field: a default (default_get), a stored computed field (computed only when left out; an inverse
/// such as a lead's e-mail would even write the empty value through to the contact), a company-dependent field — and
/// numbers, stored 0 when sent empty but NULL when left out. Those fields stay out of a row that has no value for
/// them; every other empty value is sent as an empty cell, so created rows differing only there go in one call.</item>
/// </list>
/// </summary>
internal static class LoadRows
{
    /// <summary>
    /// The records in groups that each make one load() call: every record of a group carries the same fields (a null value
    /// is an empty cell), in the order the records came.
    /// </summary>
    /// <param name="records">The records to load.</param>
    /// <param name="exists">Whether a record's xmlid exists already (its load writes it).</param>
    /// <param name="keptOutWhenEmpty">Fields a created record leaves out when it has no value for them.</param>
    /// <param name="fields">The model's fields; a name that is not one never goes into another record's row.</param>
    public static List<List<DestinationRecord>> Group(IEnumerable<DestinationRecord> records, Func<string, bool> exists, IReadOnlySet<string> keptOutWhenEmpty, IReadOnlyDictionary<string, DestinationField> fields)
    {
        ArgumentNullException.ThrowIfNull(keptOutWhenEmpty);
        ArgumentNullException.ThrowIfNull(fields);
        var groups = new Dictionary<string, (List<DestinationRecord> Records, HashSet<string> Columns)>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var present = record.Values.Where(v => v.Value is not null).Select(v => v.Key).Order(StringComparer.Ordinal).ToList();
            var update = exists(record.ExternalId);
            var key = update
                ? "update\n" + string.Join('\n', present)
                : "create\n" + string.Join('\n', present.Where(f => keptOutWhenEmpty.Contains(f) || !fields.ContainsKey(f)));
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = ([], new HashSet<string>(StringComparer.Ordinal));
            }

            group.Records.Add(record);
            group.Columns.UnionWith(present);
        }

        return [.. groups.Values.Select(g => g.Records.Select(r => Aligned(r, g.Columns)).ToList())];
    }

    /// <summary>
    /// The group in consecutive calls whose text stays under <paramref name="maxChars"/> (at least one record each): Odoo
    /// refuses a request body over 128 MiB (odoo/http.py, DEFAULT_MAX_CONTENT_LENGTH), which a few hundred attachments
    /// reach.
    /// </summary>
    public static IEnumerable<List<DestinationRecord>> Slices(List<DestinationRecord> group, long maxChars)
    {
        ArgumentNullException.ThrowIfNull(group);
        var slice = new List<DestinationRecord>();
        long chars = 0;
        foreach (var record in group)
        {
            var size = record.Values.Values.Sum(v => v switch
            {
                string text => (long)text.Length,
                FileBytes file => (file.Bytes.Length + 2L) / 3 * 4,
                _ => 16,
            });
            if (slice.Count > 0 && chars + size > maxChars)
            {
                yield return slice;
                slice = [];
                chars = 0;
            }

            slice.Add(record);
            chars += size;
        }

        if (slice.Count > 0)
        {
            yield return slice;
        }
    }

    /// <summary>The record with exactly these fields: its own values, null where it has none.</summary>
    private static DestinationRecord Aligned(DestinationRecord record, HashSet<string> columns)
    {
        if (record.Values.Count == columns.Count && record.Values.All(v => v.Value is not null))
        {
            return record;
        }

        return record with { Values = columns.ToDictionary(c => c, c => record.Values.GetValueOrDefault(c), StringComparer.Ordinal) };
    }
}
