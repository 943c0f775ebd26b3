using System.IO.Hashing;
using System.Text;

namespace Flit.Core.Records;

/// <summary>
/// Ids spread over <see cref="Count"/> buckets by a stable hash. The partition puts a record in the bucket of its
/// id — or of its parent's, so siblings stay together — and a batch is one bucket (or a few small ones packed); the
/// Azure ID map keys its rows by the same bucket, so the parents a batch looks up lie in one key range of theirs.
/// </summary>
public static class IdBuckets
{
    public const int Count = 256;

    /// <summary>A stable 64-bit hash of the value's UTF-8 bytes (XxHash3): the same on every machine and run.</summary>
    public static ulong Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The value's bucket, 0 to <see cref="Count"/> − 1.</summary>
    public static int Of(string value) => (int)(Hash(value) % Count);
}
