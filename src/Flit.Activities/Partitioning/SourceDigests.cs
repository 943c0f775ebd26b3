using System.IO.Hashing;
using System.Runtime.InteropServices;
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

    /// <summary>One hash over the row's text laid out in one buffer (a pooled one past a few thousand characters): a
    /// call per row rather than per value, which is what a million rows compared per pass need.</summary>
    internal static UInt128 Compute(SourceRecord record, string specHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        var length = specHash.Length + 1;
        foreach (var value in record.Values)
        {
            length += (value?.Length ?? 0) + 2;
        }

        char[]? rented = null;
        var buffer = length <= 1024 ? stackalloc char[1024] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(length));
        try
        {
            specHash.CopyTo(buffer);
            var at = specHash.Length;
            buffer[at++] = Separator;
            foreach (var value in record.Values)
            {
                // A null and an empty cell differ from each other and from every value: a marker before each value.
                buffer[at++] = value is null ? '\u0000' : '\u0001';
                value?.CopyTo(buffer[at..]);
                at += value?.Length ?? 0;
                buffer[at++] = Separator;
            }

            return XxHash128.HashToUInt128(MemoryMarshal.AsBytes(buffer[..at]));
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private const char Separator = '\u001e';

    /// <summary>The migration's recorded digests of one object, keyed by a hash of the source id: about 40 bytes per
    /// record, so a million records fit in some 40 MB. Entries written before digests were kept have none (their rows
    /// go to the load).</summary>
    public static async Task<Dictionary<UInt128, UInt128>> RecordedAsync(IIdMap idMap, string migrationId, string objectType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idMap);
        var recorded = new Dictionary<UInt128, UInt128>();
        await foreach (var (sourceId, digest) in idMap.ListSourceDigestsAsync(migrationId, objectType, cancellationToken))
        {
            if (digest is not null && UInt128.TryParse(digest, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                recorded[IdKey(sourceId)] = value;
            }
        }

        return recorded;
    }

    internal static UInt128 IdKey(string sourceId) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(sourceId.AsSpan()));
}
