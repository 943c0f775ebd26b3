using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Flit.Core.Ports;
using Flit.Core.Records;

namespace Flit.Activities.Partitioning;

/// <summary>
/// What a delta pass compares a row by: a 128-bit digest of the row as read (its values, joined ones included) and the
/// approved spec's hash, which the load records in the ID map with every write. A row of a newer export with the same
/// digest maps to the same content, so the pass counts it unchanged without mapping it — reading and hashing are all
/// an unchanged row costs. A different spec, or any changed value, gives another digest: the row goes to the load,
/// which compares the mapped content.
/// </summary>
public static class SourceDigests
{
    public static string Of(SourceRecord record, string specHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(specHash);
        return Format(Compute(record, specHash));
    }

    /// <summary>The digest in the form the ID map keeps (32 hex digits).</summary>
    public static string Format(UInt128 digest) => digest.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    internal static UInt128 Compute(SourceRecord record, string specHash)
    {
        var hash = new XxHash128();
        Append(hash, specHash);
        foreach (var value in record.Values)
        {
            // A null and an empty cell differ from each other and from every value: a marker before each value.
            hash.Append(value is null ? "\u0000"u8 : "\u0001"u8);
            Append(hash, value ?? string.Empty);
        }

        return hash.GetCurrentHashAsUInt128();
    }

    /// <summary>The migration's recorded digests of one object, keyed by a hash of the source id: about 40 bytes per
    /// record, so a million records fit in some 40 MB. Entries written before digests were kept have none (their rows
    /// go to the load).</summary>
    public static async Task<Dictionary<UInt128, UInt128>> RecordedAsync(IIdMap idMap, string migrationId, string objectType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idMap);
        var recorded = new Dictionary<UInt128, UInt128>();
        await foreach (var entry in idMap.ListAsync(migrationId, objectType, cancellationToken))
        {
            if (entry.SourceDigest is { } digest && UInt128.TryParse(digest, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                recorded[IdKey(entry.SourceId)] = value;
            }
        }

        return recorded;
    }

    internal static UInt128 IdKey(string sourceId) => XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(sourceId));

    private static void Append(XxHash128 hash, string text)
    {
        hash.Append(MemoryMarshal.AsBytes(text.AsSpan()));
        hash.Append("\u001e"u8);
    }
}
