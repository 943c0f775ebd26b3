using Flit.Activities.Loading;
using Flit.Activities.Reporting;
using Flit.Core.Records;

namespace Flit.Activities.Tests.Reporting;

/// <summary>Values an export could hold to attack whoever opens the report: each must show as text and do nothing.</summary>
internal static class Hostile
{
    public const string Script = "<script>document.title='pwned'</script>";
    public const string Image = "<img src=x onerror=alert(1)>";
    public const string Link = "javascript:alert(1)";
    public const string AttributeBreak = "\"><svg onload=alert(1)>";

    public static readonly string[] All = [Script, Image, Link, AttributeBreak];
}

/// <summary>Small reports to render.</summary>
internal static class ReportSamples
{
    public static RunReport With(
        IReadOnlyList<ObjectCounts>? objects = null,
        IReadOnlyList<FieldDifference>? diff = null,
        IReadOnlyList<IssueGroup>? notLoadedGroups = null,
        IReadOnlyList<IssueGroup>? warningGroups = null,
        IReadOnlyList<PresenceCheck>? presence = null,
        string migrationId = "m-1") =>
        new(migrationId, "oncourse-odoo", "SAMPLE", "3fe000c4a57d0e83", new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
            objects ?? [new ObjectCounts("contact", "res.partner", 10, 8, 0, 1, 1)],
            presence ?? [new PresenceCheck("contact", "res.partner", 8, 8, [])],
            [], diff ?? [], [], notLoadedGroups ?? [], warningGroups ?? []);

    /// <summary>A report with a hostile value in every place a run's data reaches the page.</summary>
    public static RunReport Hostile()
    {
        var payload = string.Join(" ", Reporting.Hostile.All);
        var example = new IssueExample(payload, payload + ".csv", 2, "contacts.csv, line 2: name: " + payload);
        return With(
            migrationId: "m-" + Reporting.Hostile.Script,
            objects: [new ObjectCounts(payload, payload, 3, 1, 0, 1, 1)],
            presence: [new PresenceCheck(payload, payload, 1, 0, [payload])],
            diff: [new FieldDifference(payload, payload, payload, 2, payload, payload, payload, payload, Matches: false)],
            notLoadedGroups: [new IssueGroup(IssueFates.Failed, payload, payload, payload, payload, 1, [example])],
            warningGroups: [new IssueGroup(IssueFates.Warning, payload, IssueKinds.ValueLeftEmpty, null, payload, 1, [example])]) with
        {
            Pair = payload,
            SpecHash = payload,
            Warnings = [new RecordWarning(payload, payload, payload, 2, IssueKinds.ValueLeftEmpty, payload, payload)],
        };
    }
}
