using System.Text;

namespace Flit.Samples;

/// <summary>Text encodings real exports come in.</summary>
public enum SampleEncoding
{
    Utf8,
    Utf8Bom,
    Utf16,
    Windows1252,
}

/// <summary>
/// What the generator writes and how dirty it is. Rates are fractions of the records that could carry that dirt
/// (e.g. <see cref="MissingEmailRate"/> of the records with an e-mail column). Defaults are what a typical
/// mid-size CRM export shows; <see cref="Clean"/> has none.
/// </summary>
public sealed record SampleOptions
{
    public static SampleOptions Default { get; } = new();

    public static SampleOptions Clean { get; } = new()
    {
        DuplicateEmailRate = 0, MissingEmailRate = 0, DanglingParentRate = 0, UnmatchedOwnerRate = 0, BadDateRate = 0,
        HtmlNoteRate = 0, NonLatinNameRate = 0, OddAttachmentRate = 0,
    };

    /// <summary>Records whose e-mail repeats an earlier record's (different case or spacing).</summary>
    public double DuplicateEmailRate { get; init; } = 0.02;

    public double MissingEmailRate { get; init; } = 0.03;

    /// <summary>References to a parent id that does not exist in the export.</summary>
    public double DanglingParentRate { get; init; } = 0.01;

    /// <summary>Users (owners) that have no account at the destination.</summary>
    public double UnmatchedOwnerRate { get; init; } = 0.1;

    /// <summary>Dates that cannot be read (31/02, "unknown", 2024-13-40).</summary>
    public double BadDateRate { get; init; } = 0.005;

    /// <summary>Notes with HTML markup (including a script to strip) and emoji.</summary>
    public double HtmlNoteRate { get; init; } = 0.2;

    public double NonLatinNameRate { get; init; } = 0.05;

    /// <summary>Attachments that are empty, oddly named or large.</summary>
    public double OddAttachmentRate { get; init; } = 0.05;

    /// <summary>Size of the large attachments (bytes).</summary>
    public int LargeAttachmentBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Write attachment bytes (off for throughput benchmarks that only read metadata).</summary>
    public bool WriteAttachments { get; init; } = true;

    /// <summary>Only these objects are written (all when null): benchmarks generate just what they read.</summary>
    public IReadOnlySet<string>? OnlyObjects { get; init; }

    public SampleEncoding Encoding { get; init; } = SampleEncoding.Utf8;

    public char Delimiter { get; init; } = ',';

    public string LineEnding { get; init; } = "\r\n";

    internal Encoding TextEncoding => Encoding switch
    {
        SampleEncoding.Utf8Bom => new UTF8Encoding(true),
        SampleEncoding.Utf16 => new UnicodeEncoding(false, true),
        SampleEncoding.Windows1252 => CodePagesEncodingProvider.Instance.GetEncoding(1252, new EncoderReplacementFallback("?"), DecoderFallback.ReplacementFallback)!,
        _ => new UTF8Encoding(false),
    };
}
