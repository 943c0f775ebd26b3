using Flit.Core.Sources;

namespace Flit.Sources.Layouts;

/// <summary>The export layouts the engine accepts, by source system id.</summary>
public static class SourceLayouts
{
    public static IReadOnlyList<SourceLayout> All { get; } =
        [ArkCaseLayout.Layout, CaseManagerLayout.Layout, OncourseLayout.Layout, ActimoLayout.Layout];

    public static SourceLayout Get(string system) =>
        All.FirstOrDefault(l => string.Equals(l.System, system?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown source system '{system}'. Known: {string.Join(", ", All.Select(l => l.System))}.", nameof(system));
}
