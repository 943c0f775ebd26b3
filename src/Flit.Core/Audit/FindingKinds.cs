namespace Flit.Core.Audit;

/// <summary>Finding kinds (stable names: reports, tests and ops queries use them).</summary>
public static class FindingKinds
{
    public const string DuplicateEmail = "duplicate-email";
    public const string MissingEmail = "missing-email";
    public const string MissingRequired = "missing-required";
    public const string MissingRequiredColumn = "missing-required-column";
    public const string DanglingReference = "dangling-reference";
    public const string UnmatchedOwner = "unmatched-owner";
    public const string OwnerWithoutEmail = "owner-without-email";
    public const string BadDate = "bad-date";
    public const string BadNumber = "bad-number";
    public const string BadBoolean = "bad-boolean";
    public const string BadEmail = "bad-email";
    public const string AmbiguousDateOrder = "contradictory-date-order";
    public const string DuplicateSourceId = "duplicate-source-id";
    public const string MissingAttachment = "missing-attachment";
    public const string EmptyAttachment = "empty-attachment";
    public const string OversizeAttachment = "oversize-attachment";
    public const string UnsafeAttachmentPath = "unsafe-attachment-path";
    public const string HtmlInText = "html-content";
    public const string NonLatinText = "non-latin-text";
    public const string Unreadable = "unreadable-line";
}
