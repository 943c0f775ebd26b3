using Flit.Activities.Reporting;
using Flit.Core.Records;

namespace Flit.Activities.Tests.Reporting;

public sealed class IssueGroupingTests
{
    private static ReportedIssue Warning(string sourceObject, string kind, string? field, string id, long line, string message) =>
        new(IssueFates.Warning, sourceObject, kind, field, id, $"{sourceObject}s.csv", line, message);

    [Theory]
    [InlineData(
        "notes.csv, line 280, column 4: date: '31/02/2024' is not a real date (day 31, month 2, year 2024, read day first)",
        "date: '…' is not a real date (day #, month #, year #, read day first)")]
    [InlineData(
        "note 'NOT000152' (notes.csv, line 183): author_id: the author 'george.smith@oncourse-client.example' is no user of the destination; left empty.",
        "author_id: the author '…' is no user of the destination; left empty.")]
    [InlineData(
        "contact 'CON000181' (contacts.csv, line 182): parent_id → company 'stark-energy' is not in the destination; loaded without the link.",
        "parent_id → company '…' is not in the destination; loaded without the link.")]
    [InlineData(
        "acm_person.csv, line 12: email is required but email_address is empty",
        "email is required but email_address is empty")]
    [InlineData(
        "The value \"abc\" for the field \"phone\" of record 4711 is not valid",
        "The value \"…\" for the field \"…\" of record # is not valid")]
    [InlineData(
        "partner_id → contact 'CON000273' is not in the destination yet (parent missing; retried after its phase)",
        "partner_id → contact '…' is not in the destination yet (parent missing; retried after its phase)")]
    public void Pattern_RecordSpecificParts_AreTakenOut(string message, string expected) =>
        Assert.Equal(expected, IssueGrouping.Pattern(message));

    [Fact]
    public void Pattern_QuotedValueHoldingAnApostrophe_IsOneValue() =>
        Assert.Equal("parent_id → company '…' is not in the destination", IssueGrouping.Pattern("parent_id → company 'o'brien-and-sons' is not in the destination"));

    [Fact]
    public void Pattern_TwoRecordsOfOneProblem_GiveTheSamePattern() =>
        Assert.Equal(
            IssueGrouping.Pattern("contacts.csv, line 17, column 15: x_created left empty: '2024-13-40' is not a valid ISO 8601 date"),
            IssueGrouping.Pattern("contacts.csv, line 2041, column 15: x_created left empty: 'next tuesday' is not a valid ISO 8601 date"));

    [Fact]
    public void Group_SameObjectKindFieldAndPattern_FormOneGroupWithItsCountAndThreeExamples()
    {
        var issues = Enumerable.Range(1, 5).Select(i =>
            Warning("note", IssueKinds.AuthorNotAUser, "author_id", $"NOT{i:000}", i + 1, $"note 'NOT{i:000}' (notes.csv, line {i + 1}): author_id: the author 'u{i}@x.example' is no user of the destination; left empty."));

        var group = Assert.Single(IssueGrouping.Group(issues));

        Assert.Equal((IssueFates.Warning, "note", IssueKinds.AuthorNotAUser, "author_id", 5L), (group.Fate, group.SourceObject, group.Kind, group.Field, group.Count));
        Assert.Equal("author_id: the author '…' is no user of the destination; left empty.", group.Pattern);
        Assert.Equal(["NOT001", "NOT002", "NOT003"], group.Examples.Select(e => e.SourceId));
        Assert.Equal("note 'NOT001' (notes.csv, line 2): author_id: the author 'u1@x.example' is no user of the destination; left empty.", group.Examples[0].Message);
    }

    [Fact]
    public void Group_DifferentObjectFieldKindOrFate_AreSeparateGroups()
    {
        var groups = IssueGrouping.Group(
        [
            Warning("deal", IssueKinds.LinkDropped, "partner_id", "D1", 2, "partner_id → contact 'C1' is not in the destination"),
            Warning("deal", IssueKinds.LinkDropped, "stage_id", "D1", 2, "stage_id → stage 'Won' is not in the destination"),
            Warning("lead", IssueKinds.LinkDropped, "partner_id", "L1", 2, "partner_id → contact 'C1' is not in the destination"),
            Warning("deal", IssueKinds.LookupNotFound, "partner_id", "D2", 3, "partner_id → contact 'C1' is not in the destination"),
            new(IssueFates.Failed, "deal", IssueKinds.LinkDropped, "partner_id", "D3", "deals.csv", 4, "partner_id → contact 'C1' is not in the destination"),
        ]);

        Assert.Equal(5, groups.Count);
        Assert.All(groups, g => Assert.Equal(1, g.Count));
    }

    [Fact]
    public void Group_AnyInputOrder_GivesTheSameGroupsInCountThenKindThenFieldOrder()
    {
        List<ReportedIssue> issues =
        [
            .. Enumerable.Range(1, 2).Select(i => Warning("contact", IssueKinds.ValueLeftEmpty, "x_created", $"C{i}", i + 1, $"x_created left empty: '{i}' is not a date")),
            .. Enumerable.Range(1, 3).Select(i => Warning("deal", IssueKinds.LinkDropped, "stage_id", $"D{i}", i + 1, $"stage_id → stage 'S{i}' is not in the destination")),
            .. Enumerable.Range(1, 3).Select(i => Warning("deal", IssueKinds.LinkDropped, "partner_id", $"D{i}", i + 1, $"partner_id → contact 'C{i}' is not in the destination")),
            Warning("note", IssueKinds.AuthorNotAUser, "author_id", "N1", 2, "author_id: the author 'a' is no user"),
        ];
        var expected = new[] { ("deal", "partner_id", 3L), ("deal", "stage_id", 3L), ("contact", "x_created", 2L), ("note", "author_id", 1L) };

        foreach (var seed in new[] { 1, 2, 3 })
        {
            var random = new Random(seed);
            var shuffled = issues.OrderBy(_ => random.Next()).ToList();

            var groups = IssueGrouping.Group(shuffled);

            Assert.Equal(expected, groups.Select(g => (g.SourceObject, g.Field!, g.Count)));
            Assert.Equal(["D1", "D2", "D3"], groups[0].Examples.Select(e => e.SourceId));
        }
    }

    [Fact]
    public void Group_IssueWithoutField_KeepsFieldNull()
    {
        var group = Assert.Single(IssueGrouping.Group([new(IssueFates.Skipped, "case", IssueKinds.SkippedByRule, null, "7", "cases.csv", 8, "folded into case 6")]));

        Assert.Null(group.Field);
        Assert.Equal("folded into case #", group.Pattern);
    }
}
