using Flit.Activities.Partitioning;
using Flit.Core.Mapping;
using Flit.Core.Records;
using Flit.Core.Transforms;

namespace Flit.Activities.Tests.Partitioning;

/// <summary>A sample is closed over its links: every parent a sampled record points at is sampled too, however far
/// into the export it sits, and the parents' own parents after them.</summary>
public sealed class SampleSelectionTests
{
    private static readonly CompiledMapping Mapping = CompiledMapping.Compile(MappingSpecLoader.LoadShipped("arkcase-odoo"), "acme", TransformContext.Utc);

    private static readonly RecordSchema Organizations = new("organization", "acm_organization.csv", ["cm_organization_id", "cm_organization_value", "cm_parent_organization_id"], [1, 2, 3]);
    private static readonly RecordSchema Notes = new("note", "acm_note.csv", ["cm_note_id", "cm_note_text", "cm_parent_object_id", "cm_parent_object_type", "cm_note_created"], [1, 2, 3, 4, 5]);

    /// <summary>300 organizations, each under the one before it; 20 notes, on the last organizations of the export.</summary>
    private static IAsyncEnumerable<SourceRecord> Read(ObjectPlan plan) => (plan.Key switch
    {
        "organization" => Enumerable.Range(1, 300).Select(i => new SourceRecord(Organizations, $"{i}", [$"{i}", $"Org {i}", i > 1 ? $"{i - 1}" : null], new SourceLocation("acm_organization.csv", i + 1))),
        "note" => Enumerable.Range(1, 20).Select(i => new SourceRecord(Notes, $"N{i}", [$"N{i}", "text", $"{300 - i}", "ORGANIZATION", "2024-01-01 10:00:00"], new SourceLocation("acm_note.csv", i + 1))),
        _ => [],
    }).ToAsyncEnumerable();

    [Fact]
    public async Task Choose_NotesOnOrganizationsOutsideTheSlice_BringTheirOrganizationsAndTheirParentChains()
    {
        var selection = await SampleSelection.ChooseAsync(Mapping.Objects, Read, size: 10);

        var organizations = Mapping.Objects.Single(p => p.Key == "organization");
        var notes = Mapping.Objects.Single(p => p.Key == "note");
        var sampledNotes = await selection.Of(notes, Read(notes)).ToListAsync();
        var sampled = await selection.Of(organizations, Read(organizations)).Select(r => r.SourceId).ToHashSetAsync();

        Assert.InRange(sampledNotes.Count, 5, 10);
        // Every sampled note's organization is in the sample, and so is every organization above it.
        foreach (var note in sampledNotes)
        {
            for (var id = int.Parse(note[2]!, System.Globalization.CultureInfo.InvariantCulture); id >= 1; id--)
            {
                Assert.Contains($"{id}", sampled);
            }
        }
    }
}
