using Flit.Activities.Reporting;

namespace Flit.Activities.Tests.Reporting;

/// <summary>The diff compares what the mapping gives with what the destination reads back, in the destination's terms.</summary>
public sealed class FieldDiffTests
{
    [Theory]
    [InlineData("false", false, true)]
    [InlineData("true", true, true)]
    [InlineData("0", false, true)]
    [InlineData("1", true, true)]
    [InlineData("true", false, false)]
    [InlineData("false", true, false)]
    [InlineData("", false, true)]
    public void Matches_TheTextAMappingGivesABooleanField_AgainstTheBooleanReadBack(string expected, bool actual, bool matches) =>
        Assert.Equal(matches, FieldDiff.Matches(expected, actual));

    [Fact]
    public void Matches_TextThatIsNotABoolean_AgainstOdoosFalse_IsADifference() =>
        Assert.False(FieldDiff.Matches("Leeds", false));
}
