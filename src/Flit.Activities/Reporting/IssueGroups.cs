using System.Text.RegularExpressions;

namespace Flit.Activities.Reporting;

/// <summary>The fates a reported issue can have: the record failed, was skipped by a rule, or loaded with a warning.</summary>
public static class IssueFates
{
    public const string Failed = "failed";

    public const string Skipped = "skipped";

    /// <summary>Left as it is: edited in the destination since the migration wrote it.</summary>
    public const string Conflict = "conflict";

    public const string Warning = "warning";
}

/// <summary>One record of a group, with its full message (the group's pattern has the record's specifics taken out).</summary>
public sealed record IssueExample(string SourceId, string File, long Line, string Message);

/// <summary>
/// Issues of one kind: same fate, object, kind, field and message once the record-specific parts are taken out
/// (<see cref="Pattern"/>), with how many records it concerns and a few of them.
/// </summary>
public sealed record IssueGroup(string Fate, string SourceObject, string Kind, string? Field, string Pattern, long Count, IReadOnlyList<IssueExample> Examples);

/// <summary>One skip, failure or warning of one record, as the grouping reads it.</summary>
internal sealed record ReportedIssue(string Fate, string SourceObject, string Kind, string? Field, string SourceId, string File, long Line, string Message);

/// <summary>
/// Groups a run's issues so that a person reads "120 notes: author is no user" once instead of 120 lines; the
/// full list stays in report.csv.
/// </summary>
internal static partial class IssueGrouping
{
    /// <summary>Examples kept per group: enough to look a few records up, few enough to read.</summary>
    internal const int ExamplesPerGroup = 3;

    /// <summary>Where an issue has no kind (outcome files written before kinds existed).</summary>
    internal const string Unclassified = "unclassified";

    /// <summary>Groups ordered by count (largest first), then kind, field, object and pattern, so that the same
    /// issues give the same report whatever order the batches finished in.</summary>
    public static IReadOnlyList<IssueGroup> Group(IEnumerable<ReportedIssue> issues)
    {
        var builder = new IssueGroupBuilder();
        foreach (var issue in issues)
        {
            builder.Add(issue);
        }

        return builder.Build();
    }

    /// <summary>
    /// The message without what differs from record to record: the leading location ("notes.csv, line 280, column 4: ",
    /// "note 'NOT000152' (notes.csv, line 183): "), quoted values, and words holding digits (ids, numbers, dates).
    /// What stays is the sentence the records share.
    /// </summary>
    public static string Pattern(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = LeadingLocation().Replace(message.Trim(), string.Empty, 1);
        text = Location().Replace(text, "…");
        text = SingleQuoted().Replace(text, "'…'");
        text = DoubleQuoted().Replace(text, "\"…\"");
        text = WithDigits().Replace(text, "#");
        return Spaces().Replace(text, " ").Trim();
    }

    /// <summary>"file, line N[, column N]: " or "object 'id' (file, line N[, column N]): " at the start.</summary>
    [GeneratedRegex(@"^(?:[\w.-]+ '[^']*' \()?[^,:()]+, line \d+(?:, column \d+)?\)?: ")]
    private static partial Regex LeadingLocation();

    /// <summary>A location inside the message ("(acm_case_file.csv, line 3)").</summary>
    [GeneratedRegex(@"[^\s,:()]+, line \d+(?:, column \d+)?")]
    private static partial Regex Location();

    /// <summary>A quoted value; the closing quote must end a word, so that "'O'Brien'" is one value.</summary>
    [GeneratedRegex(@"(?<=^|[\s(\[=,:;])'.*?'(?=$|[\s,.;:)\]])")]
    private static partial Regex SingleQuoted();

    [GeneratedRegex(@"(?<=^|[\s(\[=,:;])"".*?""(?=$|[\s,.;:)\]])")]
    private static partial Regex DoubleQuoted();

    /// <summary>A word holding a digit: an id (CON000181), a number, a date.</summary>
    [GeneratedRegex(@"[\p{L}_\-]*\d[\p{L}\p{N}_\-./:]*(?<![.:])")]
    private static partial Regex WithDigits();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

/// <summary>
/// Groups issues as they stream by, holding per group only its count and its first examples (by file and line), so a
/// run of millions of records is grouped in the memory of its groups. Past <see cref="MaxGroups"/> groups (messages
/// that share nothing), further patterns of an object, kind and field are counted in one group of their own.
/// </summary>
internal sealed class IssueGroupBuilder
{
    internal const int MaxGroups = 2000;

    private const string OtherPatterns = "(other messages)";

    private readonly Dictionary<(string Fate, string SourceObject, string Kind, string Field, string Pattern), (long Count, List<IssueExample> Examples)> _groups = [];

    public void Add(ReportedIssue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        var key = (Fate: issue.Fate, SourceObject: issue.SourceObject, Kind: issue.Kind, Field: issue.Field ?? string.Empty, Pattern: IssueGrouping.Pattern(issue.Message));
        if (!_groups.ContainsKey(key) && _groups.Count >= MaxGroups)
        {
            key = key with { Pattern = OtherPatterns };
        }

        var (count, examples) = _groups.TryGetValue(key, out var group) ? group : (0, new List<IssueExample>(IssueGrouping.ExamplesPerGroup + 1));
        examples.Add(new IssueExample(issue.SourceId, issue.File, issue.Line, issue.Message));
        if (examples.Count > IssueGrouping.ExamplesPerGroup)
        {
            examples.Sort(Order);
            examples.RemoveAt(examples.Count - 1);
        }

        _groups[key] = (count + 1, examples);
    }

    public IReadOnlyList<IssueGroup> Build() =>
        [.. _groups
            .Select(g => new IssueGroup(
                g.Key.Fate,
                g.Key.SourceObject,
                g.Key.Kind,
                g.Key.Field.Length == 0 ? null : g.Key.Field,
                g.Key.Pattern,
                g.Value.Count,
                [.. g.Value.Examples.Order(Comparer<IssueExample>.Create(Order))]))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Kind, StringComparer.Ordinal)
            .ThenBy(g => g.Field, StringComparer.Ordinal)
            .ThenBy(g => g.SourceObject, StringComparer.Ordinal)
            .ThenBy(g => g.Fate, StringComparer.Ordinal)
            .ThenBy(g => g.Pattern, StringComparer.Ordinal)];

    private static int Order(IssueExample a, IssueExample b)
    {
        var file = string.CompareOrdinal(a.File, b.File);
        if (file != 0)
        {
            return file;
        }

        var line = a.Line.CompareTo(b.Line);
        return line != 0 ? line : string.CompareOrdinal(a.SourceId, b.SourceId);
    }
}
