using Flit.Activities.Reporting;

namespace Flit.Activities.Tests.Reporting;

public sealed class FirstInOrderTests
{
    private static readonly Comparer<(int Line, string Seen)> ByLine = Comparer<(int Line, string Seen)>.Create((a, b) => a.Line.CompareTo(b.Line));

    [Fact]
    public void Add_AShuffledStream_KeepsTheFirstInOrder()
    {
        var first = new FirstInOrder<(int Line, string Seen)>(5, ByLine);
        var lines = Enumerable.Range(1, 10_000).ToArray();
        new Random(7).Shuffle(lines);

        foreach (var line in lines)
        {
            first.Add((line, "x"));
        }

        Assert.Equal([1, 2, 3, 4, 5], first.Items.Select(i => i.Line));
    }

    [Fact]
    public void Add_EqualItems_KeepsTheOneSeenFirstAheadAndDropsTheLaterAtCapacity()
    {
        var first = new FirstInOrder<(int Line, string Seen)>(2, ByLine);

        first.Add((3, "a"));
        first.Add((3, "b"));
        first.Add((3, "c"));
        first.Add((1, "d"));

        Assert.Equal([(1, "d"), (3, "a")], first.Items);
    }

    [Fact]
    public void Add_WithNoRoom_KeepsNothing()
    {
        var first = new FirstInOrder<(int Line, string Seen)>(0, ByLine);

        first.Add((1, "a"));

        Assert.Empty(first.Items);
    }
}
