namespace Flit.Core.Values;

/// <summary>UTF-8 bytes read in pieces.</summary>
public static class Utf8Text
{
    /// <summary>Length of <paramref name="bytes"/> without a trailing lead byte whose continuation bytes are still to
    /// come: a piece cut there decodes whole, the rest goes with the next piece.</summary>
    public static int CompletePrefixLength(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // continuation byte: keep looking for its lead byte
            }

            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? bytes.Length - back : bytes.Length;
        }

        return bytes.Length;
    }
}
