using System.Text;

namespace Flit.Sources.Readers;

/// <summary>Text encodings a person can name for an export (<c>--encoding</c>), by their .NET or IANA names.</summary>
public static class ExportEncodings
{
    /// <summary>Names offered in messages: the encodings exports are known to come in besides the detected ones.</summary>
    public static IReadOnlyList<string> Examples { get; } =
        ["utf-8", "utf-16", "utf-16BE", "utf-32", "utf-32BE", "windows-1252", "windows-1250", "windows-1251", "iso-8859-1", "iso-8859-2", "iso-8859-15", "shift_jis", "euc-jp", "euc-kr", "gbk", "gb18030", "big5"];

    static ExportEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The encoding called <paramref name="name"/> (e.g. <c>Shift_JIS</c>, <c>EUC-KR</c>, <c>ISO-8859-2</c>, or a code page number).</summary>
    /// <exception cref="ArgumentException">No such encoding; the message lists examples.</exception>
    public static Encoding Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        try
        {
            // Encoders that return replacement characters for what they cannot decode: detection has already
            // refused files that do not decode strictly, so reading never meets one.
            return int.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var codePage)
                ? Encoding.GetEncoding(codePage)
                : Encoding.GetEncoding(trimmed);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"Unknown encoding '{name}'. Use a .NET or IANA name, for example {string.Join(", ", Examples)}.", nameof(name), e);
        }
    }

    /// <summary>Whether <paramref name="name"/> names an encoding (for command-line validation).</summary>
    public static bool TryResolve(string name, out Encoding? encoding)
    {
        try
        {
            encoding = Resolve(name);
            return true;
        }
        catch (ArgumentException)
        {
            encoding = null;
            return false;
        }
    }

    /// <summary>The name people know an encoding by, for messages.</summary>
    internal static string DisplayName(Encoding encoding) => encoding.CodePage switch
    {
        1200 => "UTF-16 LE",
        1201 => "UTF-16 BE",
        12000 => "UTF-32 LE",
        12001 => "UTF-32 BE",
        65001 => "UTF-8",
        _ => encoding.WebName,
    };
}
