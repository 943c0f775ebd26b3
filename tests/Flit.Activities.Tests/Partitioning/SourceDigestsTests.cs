using Flit.Activities.Partitioning;
using Flit.Core.Records;

namespace Flit.Activities.Tests.Partitioning;

/// <summary>A delta pass leaves a row unmapped only when its digest says nothing about it changed: any value, an empty
/// cell becoming absent, or another approved spec gives another digest.</summary>
public sealed class SourceDigestsTests
{
    private static readonly RecordSchema Schema = new("contact", "contacts.csv", ["Contact ID", "Name", "Phone"], [1, 2, 3]);

    private static string Digest(string?[] values, string spec = "spec-1") =>
        SourceDigests.Of(new SourceRecord(Schema, "C1", values, new SourceLocation("contacts.csv", 2)), spec);

    [Fact]
    public void Of_TheSameRowReadAgain_IsTheSame_WhereverItIs()
    {
        var moved = SourceDigests.Of(new SourceRecord(Schema, "C1", ["C1", "Ada", "123"], new SourceLocation("contacts-2.csv", 90)), "spec-1");

        Assert.Equal(Digest(["C1", "Ada", "123"]), moved);
        Assert.Equal(32, moved.Length);
    }

    [Theory]
    [InlineData("Ada", "124")]
    [InlineData("Ada", "")]
    [InlineData("Ada", null)]
    [InlineData("Ada1", "23")]
    public void Of_AChangedValue_DiffersFromTheRowAsWritten(string name, string? phone)
    {
        Assert.NotEqual(Digest(["C1", "Ada", "123"]), Digest(["C1", name, phone]));
        Assert.NotEqual(Digest(["C1", "Ada", ""]), Digest(["C1", "Ada", null]));
    }

    [Fact]
    public void Of_AnotherApprovedSpec_Differs()
    {
        Assert.NotEqual(Digest(["C1", "Ada", "123"]), Digest(["C1", "Ada", "123"], "spec-2"));
    }
}
