using System.IO.Compression;
using System.Text;

namespace Flit.Core.Values;

/// <summary>What a file's bytes say it is, and whether that is a strong signature or only a guess.</summary>
/// <param name="MimeType">The type its content shows.</param>
/// <param name="Strong">True for a format's own signature (%PDF, PNG, ZIP parts...): it beats a declared type that
/// contradicts it; false for a guess (text, unknown bytes), which never overrides what the export declared.</param>
public readonly record struct SniffedType(string MimeType, bool Strong);

/// <summary>
/// File types from content. Exports copy whatever type the source system stored (often wrong: a PDF declared
/// text/plain), and the destination shows and previews by type, so the content decides when it has a signature of
/// its own. Also the extension a type implies, for file names that have none.
/// </summary>
public static class ContentTypes
{
    private static readonly (byte[] Magic, int Offset, string Type)[] Signatures =
    [
        ("%PDF-"u8.ToArray(), 0, "application/pdf"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], 0, "image/png"),
        ([0xFF, 0xD8, 0xFF], 0, "image/jpeg"),
        ("GIF87a"u8.ToArray(), 0, "image/gif"),
        ("GIF89a"u8.ToArray(), 0, "image/gif"),
        ([0x49, 0x49, 0x2A, 0x00], 0, "image/tiff"),
        ([0x4D, 0x4D, 0x00, 0x2A], 0, "image/tiff"),
        ("WEBP"u8.ToArray(), 8, "image/webp"),
        ("{\\rtf"u8.ToArray(), 0, "application/rtf"),
        ("ID3"u8.ToArray(), 0, "audio/mpeg"),
        ("ftyp"u8.ToArray(), 4, "video/mp4"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], 0, "application/x-ole-storage"),
        ("PK\u0003\u0004"u8.ToArray(), 0, "application/zip"),
    ];

    /// <summary>Legacy Office formats all share the OLE container: a declared one of these is not contradicted by it.</summary>
    private static readonly HashSet<string> OleTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/vnd.ms-outlook", "application/x-ole-storage",
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpg"] = "image/jpeg",
        ["image/pjpeg"] = "image/jpeg",
        ["application/x-pdf"] = "application/pdf",
        ["image/x-png"] = "image/png",
        ["application/x-zip-compressed"] = "application/zip",
    };

    private static readonly Dictionary<string, string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application/pdf"] = ".pdf",
        ["image/png"] = ".png",
        ["image/jpeg"] = ".jpg",
        ["image/gif"] = ".gif",
        ["image/tiff"] = ".tif",
        ["image/webp"] = ".webp",
        ["image/bmp"] = ".bmp",
        ["application/rtf"] = ".rtf",
        ["audio/mpeg"] = ".mp3",
        ["video/mp4"] = ".mp4",
        ["application/zip"] = ".zip",
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = ".docx",
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = ".xlsx",
        ["application/vnd.openxmlformats-officedocument.presentationml.presentation"] = ".pptx",
        ["application/msword"] = ".doc",
        ["application/vnd.ms-excel"] = ".xls",
        ["application/vnd.ms-powerpoint"] = ".ppt",
        ["application/vnd.ms-outlook"] = ".msg",
        ["text/plain"] = ".txt",
        ["text/csv"] = ".csv",
        ["text/html"] = ".html",
        ["application/json"] = ".json",
        ["application/xml"] = ".xml",
        ["text/xml"] = ".xml",
    };

    public static SniffedType Sniff(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        foreach (var (magic, offset, type) in Signatures)
        {
            if (content.Length >= offset + magic.Length && content.AsSpan(offset, magic.Length).SequenceEqual(magic))
            {
                return new SniffedType(type == "application/zip" ? ZipKind(content) : type, Strong: true);
            }
        }

        return new SniffedType(LooksLikeText(content) ? "text/plain" : "application/octet-stream", Strong: false);
    }

    /// <summary>The type to write: the content's when it has a signature the declared type contradicts, else the
    /// declared one (or the content's guess when nothing is declared). <paramref name="contradicted"/> says the
    /// declared type was replaced.</summary>
    public static string Decide(string? declared, SniffedType sniffed, out bool contradicted)
    {
        contradicted = false;
        var normal = Normalize(declared);
        if (normal is null)
        {
            return sniffed.MimeType;
        }

        if (!sniffed.Strong || Same(normal, sniffed.MimeType))
        {
            return normal;
        }

        contradicted = true;
        return sniffed.MimeType;
    }

    /// <summary>The file name with the extension its type implies, when it has none.</summary>
    public static string WithExtension(string name, string mimeType)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Path.HasExtension(name) || !Extensions.TryGetValue(mimeType, out var extension) ? name : name + extension;
    }

    private static string? Normalize(string? type)
    {
        var text = type?.Split(';')[0].Trim();
        return string.IsNullOrEmpty(text) ? null : Aliases.GetValueOrDefault(text, text.ToLowerInvariant());
    }

    private static bool Same(string declared, string sniffed) =>
        string.Equals(declared, sniffed, StringComparison.OrdinalIgnoreCase)
        || (sniffed == "application/x-ole-storage" && OleTypes.Contains(declared))
        // A ZIP that is none of the Office formats may be any of the many ZIP-based ones (epub, odt, jar...).
        || (sniffed == "application/zip" && !declared.StartsWith("text/", StringComparison.Ordinal) && !declared.StartsWith("image/", StringComparison.Ordinal) && declared != "application/pdf");

    /// <summary>Office Open XML is a ZIP whose parts say which document it is.</summary>
    private static string ZipKind(byte[] content)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.StartsWith("word/", StringComparison.Ordinal))
                {
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
                }

                if (entry.FullName.StartsWith("xl/", StringComparison.Ordinal))
                {
                    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                }

                if (entry.FullName.StartsWith("ppt/", StringComparison.Ordinal))
                {
                    return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
                }
            }
        }
        catch (InvalidDataException)
        {
            // A broken archive is still a ZIP by its signature.
        }

        return "application/zip";
    }

    /// <summary>Text when the head decodes as UTF-8 and holds no control characters other than tab and line breaks.</summary>
    private static bool LooksLikeText(byte[] content)
    {
        var head = content.AsSpan(0, Math.Min(content.Length, 4096));
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(head[..Utf8Text.CompletePrefixLength(head)]);
            return !text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f'));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
