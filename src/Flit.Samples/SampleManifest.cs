namespace Flit.Samples;

/// <summary>
/// What a generated export holds: records per object, the users that exist at the destination, and every piece of
/// dirt injected with the records that carry it — so a test can assert an audit finds exactly these.
/// </summary>
public sealed record SampleManifest(
    string System,
    int Records,
    int Seed,
    IReadOnlyDictionary<string, int> Objects,
    IReadOnlyList<string> DestinationUsers,
    IReadOnlyDictionary<string, InjectedDirt> Dirt);

/// <summary>One kind of dirt: how many records carry it and which (the first 1,000 when there are more).</summary>
public sealed record InjectedDirt(int Count, IReadOnlyList<DirtyRecord> Records);

/// <summary>A record carrying dirt: object, source id, and the column.</summary>
public sealed record DirtyRecord(string Object, string Id, string Column);

/// <summary>Names of the dirt kinds (manifest keys).</summary>
public static class DirtKinds
{
    public const string DuplicateEmail = "duplicate-email";
    public const string MissingEmail = "missing-email";
    public const string DanglingReference = "dangling-reference";
    public const string UnmatchedOwner = "unmatched-owner";
    public const string BadDate = "bad-date";
    public const string HtmlNote = "html-note";
    public const string NonLatinName = "non-latin-name";
    public const string OddAttachment = "odd-attachment";
}
