using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Transforms;
using Flit.Sources.Layouts;
using Flit.Sources.Readers;

namespace Flit.Samples.Tests;

/// <summary>
/// Prepare finds the stages, tags and owners to create or match with a lookups-only mapping: on every record of a
/// generated export of every pair, it gives exactly the lookups the full mapping gives, and says "would not load"
/// exactly when the full mapping does.
/// </summary>
public sealed class LookupsOnlyMappingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("flit-lookups-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The pairs, and whether their spec names any destination record (the Dynamics spec names none).</summary>
    public static TheoryData<string, string, bool> Pairs() => new()
    {
        { "arkcase", "arkcase-odoo", true },
        { "casemanager", "casemanager-odoo", true },
        { "oncourse", "oncourse-odoo", true },
        { "actimo", "actimo-odoo", true },
        { "actimo", "actimo-dynamics", false },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Lookups_OfEveryRecord_AreTheFullMappingsLookups(string system, string pair, bool namesRecords)
    {
        SampleGenerator.Generate(system, _root, 400, 5, SampleOptions.Default with { WriteAttachments = false });
        var layout = SourceLayouts.Get(system);
        // Every owner key has a user, as the users export gives them.
        var mapping = CompiledMapping.Compile(MappingSpecLoader.LoadShipped(pair), "acme", TransformContext.Utc with { OwnerEmail = key => $"{key.Trim()}@acme.test" });
        var problems = new ReadProblemCollector();
        var compared = 0;
        var withLookups = 0;
        foreach (var file in ExportFolder.Discover(_root, layout).Files)
        {
            await foreach (var record in ExportReader.ReadAsync(file.Path, file.RelativePath, file.Object, problems))
            {
                foreach (var plan in mapping.Objects.Where(o => o.SourceObject == file.Object.Name))
                {
                    var full = mapping.Map(plan.Key, record).Record;
                    var lookups = mapping.Lookups(plan.Key, record);

                    Assert.Equal(full is null, lookups is null);
                    List<object> expected = full?.Values.Values.OfType<object>().Where(v => v is NamedLookup or UserLookup).ToList() ?? [];
                    Assert.Equal(expected, lookups ?? []);
                    compared++;
                    withLookups += expected.Count > 0 ? 1 : 0;
                }
            }
        }

        Assert.True(compared > 400, $"only {compared} records compared");
        Assert.True(withLookups > 0 == namesRecords, $"{withLookups} records named a stage, tag or owner");
    }
}
