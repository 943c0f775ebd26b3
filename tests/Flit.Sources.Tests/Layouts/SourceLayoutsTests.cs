using Flit.Core.Sources;
using Flit.Sources.Layouts;

namespace Flit.Sources.Tests.Layouts;

public sealed class SourceLayoutsTests
{
    public static TheoryData<string> Systems() => [.. SourceLayouts.All.Select(l => l.System)];

    [Theory]
    [MemberData(nameof(Systems))]
    public void Layout_Integrity_KeysExistReferencesResolveNamesUnique(string system)
    {
        var layout = SourceLayouts.Get(system);

        Assert.Equal(layout.Objects.Count, layout.Objects.Select(o => o.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var files = layout.Objects.SelectMany(o => o.FileNames).ToList();
        Assert.Equal(files.Count, files.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var obj in layout.Objects)
        {
            Assert.NotNull(obj.Column(obj.KeyColumn));
            Assert.Equal(obj.Columns.Count, obj.Columns.Select(c => c.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            foreach (var column in obj.Columns.Where(c => c.Kind == ValueKind.Reference))
            {
                Assert.True(layout.Object(column.References!) is not null, $"{system}.{obj.Name}.{column.Name} → {column.References}");
            }
        }
    }

    [Fact]
    public void Get_UnknownSystem_ListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => SourceLayouts.Get("salesforce"));

        Assert.Contains("arkcase, casemanager, oncourse, actimo", error.Message, StringComparison.Ordinal);
    }
}
