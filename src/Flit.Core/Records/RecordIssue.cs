namespace Flit.Core.Records;

/// <summary>
/// Something that happened to one record on its way to the destination: why it was skipped or failed, or what was
/// left out or changed so that it could load. The kind and field are what reports group by; the message is what a
/// person reads (it names the file, line and column, or the destination's own words).
/// </summary>
/// <param name="Kind">One of <see cref="IssueKinds"/>.</param>
/// <param name="Field">The destination field concerned, when there is one.</param>
/// <param name="Message">The full explanation.</param>
public sealed record RecordIssue(string Kind, string? Field, string Message);

/// <summary>Stable names of record issues: reports, tests and ops queries use them.</summary>
public static class IssueKinds
{
    /// <summary>A rule of the spec leaves the record out (a filter, a repeat of a computed id, a record folded into another).</summary>
    public const string SkippedByRule = "skipped-by-rule";

    /// <summary>A later row of an object repeats an earlier row's source id: the first is loaded, the later one not.</summary>
    public const string DuplicateSourceId = "duplicate-source-id";

    /// <summary>A value the spec requires is empty or unreadable.</summary>
    public const string RequiredValue = "required-value";

    /// <summary>A value could not be read; the field was left empty.</summary>
    public const string ValueLeftEmpty = "value-left-empty";

    /// <summary>A polymorphic parent's type is not one the spec migrates.</summary>
    public const string UnknownParentType = "unknown-parent-type";

    /// <summary>A parent the record needs is not in the destination (failed, or not in the export).</summary>
    public const string MissingParent = "missing-parent";

    /// <summary>An optional link could not be made; the record loaded without it.</summary>
    public const string LinkDropped = "link-dropped";

    /// <summary>Reference data the destination owns (a country, a state, a subtype) has no such name; left empty.</summary>
    public const string LookupNotFound = "lookup-not-found";

    /// <summary>A stage, team or tag was not prepared in the destination.</summary>
    public const string LookupNotPrepared = "lookup-not-prepared";

    /// <summary>An owner matches no destination user and no fallback user is set.</summary>
    public const string OwnerUnmatched = "owner-unmatched";

    /// <summary>A message's author is no destination user; the author field was left empty.</summary>
    public const string AuthorNotAUser = "author-not-a-user";

    /// <summary>An attachment's file is missing from the export, or its path is unsafe.</summary>
    public const string FileProblem = "file-problem";

    /// <summary>An attachment's declared type contradicts its content; the content's type was used.</summary>
    public const string FileRetyped = "file-retyped";

    /// <summary>The destination refused the record; the message is its own.</summary>
    public const string DestinationRefused = "destination-refused";

    /// <summary>The destination wrote the record differently to keep other data intact (e.g. a lead's contact).</summary>
    public const string DestinationAdjusted = "destination-adjusted";

    /// <summary>Someone changed (or deleted) the record in the destination after the migration wrote it, and the source
    /// changed too: left as it is, never overwritten silently (unless forced).</summary>
    public const string DestinationEdited = "destination-edited";
}
