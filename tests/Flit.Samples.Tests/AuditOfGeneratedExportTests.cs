using Flit.Core.Audit;
using Flit.Core.Mapping;
using Flit.Core.Sources;
using Flit.Sources.Layouts;
using Flit.Sources.Readers;

namespace Flit.Samples.Tests;

/// <summary>The audit finds exactly the dirt the generator says it injected.</summary>
public sealed class AuditOfGeneratedExportTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("flit-audit-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string, string> Pairs() => new()
    {
        { "arkcase", "arkcase-odoo" },
        { "casemanager", "casemanager-odoo" },
        { "oncourse", "oncourse-odoo" },
        { "actimo", "actimo-odoo" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Audit_GeneratedDirt_FoundExactly(string system, string pair)
    {
        var manifest = SampleGenerator.Generate(system, _root, 1500, 21, SampleOptions.Default with { LargeAttachmentBytes = 4096 });
        var layout = SourceLayouts.Get(system);
        var audit = new AuditBuilder(layout, MappingSpecLoader.LoadShipped(pair), new AuditOptions
        {
            DestinationUserEmails = manifest.DestinationUsers.ToHashSet(StringComparer.OrdinalIgnoreCase),
            FileSize = path => File.Exists(Path.Combine(_root, path)) ? new FileInfo(Path.Combine(_root, path)).Length : null,
            ReadText = path => File.Exists(Path.Combine(_root, path)) ? File.ReadAllText(Path.Combine(_root, path)) : null,
        });
        var problems = new ReadProblemCollector();
        foreach (var file in ExportFolder.Discover(_root, layout).Files)
        {
            await foreach (var record in ExportReader.ReadAsync(file.Path, file.RelativePath, file.Object, problems))
            {
                audit.Observe(record);
            }
        }

        var report = audit.Build();

        static HashSet<(string, string)> Ids(IEnumerable<(string, string)> ids) => [.. ids];
        Finding? Of(string kind) => report.Findings.SingleOrDefault(f => f.Kind == kind);
        Assert.Empty(problems.Problems);
        var mismatches = new List<string>();
        foreach (var (dirt, kind) in new[] { (DirtKinds.MissingEmail, FindingKinds.MissingEmail), (DirtKinds.BadDate, FindingKinds.BadDate), (DirtKinds.DanglingReference, FindingKinds.DanglingReference), (DirtKinds.UnmatchedOwner, FindingKinds.UnmatchedOwner) })
        {
            var injected = Ids(manifest.Dirt.GetValueOrDefault(dirt)?.Records.Select(r => (r.Object, r.Id)) ?? []);
            var found = Ids(Of(kind)?.Records.Select(r => (r.Object, r.SourceId)) ?? []);
            if (!injected.SetEquals(found))
            {
                mismatches.Add($"{kind}: injected {injected.Count}, found {found.Count}; missed e.g. {string.Join(" ", injected.Except(found).Take(3))}; extra e.g. {string.Join(" ", found.Except(injected).Take(3))}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));

        var duplicates = Ids(Of(FindingKinds.DuplicateEmail)?.Records.Select(r => (r.Object, r.SourceId)) ?? []);
        Assert.All(manifest.Dirt.GetValueOrDefault(DirtKinds.DuplicateEmail)?.Records ?? [], r => Assert.Contains((r.Object, r.Id), duplicates));
        Assert.All(report.Findings.SelectMany(f => f.Records).Where(r => r.Line > 0), r => Assert.True(r.Line >= 2));
        Assert.NotEmpty(report.CustomFields);
        Assert.NotEmpty(report.Disclosures);
    }

    [Fact]
    public async Task Audit_MoreFindingsThanItLists_CountsThemAllAndListsOnlyTheCap_SoItsMemoryDoesNotGrowWithTheExport()
    {
        var manifest = SampleGenerator.Generate("oncourse", _root, 1500, 21, SampleOptions.Default with { WriteAttachments = false });
        var layout = SourceLayouts.Get("oncourse");
        async Task<AuditReport> Audit(int listed)
        {
            var audit = new AuditBuilder(layout, MappingSpecLoader.LoadShipped("oncourse-odoo"), new AuditOptions
            {
                DestinationUserEmails = manifest.DestinationUsers.ToHashSet(StringComparer.OrdinalIgnoreCase),
                MaxRecordsPerFinding = listed,
            });
            foreach (var file in ExportFolder.Discover(_root, layout).Files)
            {
                await foreach (var record in ExportReader.ReadAsync(file.Path, file.RelativePath, file.Object, new ReadProblemCollector()))
                {
                    audit.Observe(record);
                }
            }

            return audit.Build();
        }

        var complete = await Audit(int.MaxValue);
        var capped = await Audit(5);
        Assert.Contains(complete.Findings, f => f.Count > 5);
        Assert.Equal(complete.Findings.Select(f => (f.Kind, f.Count)), capped.Findings.Select(f => (f.Kind, f.Count)));
        Assert.All(capped.Findings, f => Assert.Equal(Math.Min(f.Count, 5), f.Records.Count));
        Assert.All(capped.Findings, f => Assert.Equal(complete.Findings.First(c => c.Kind == f.Kind && c.Message == f.Message).Records.Take(5), f.Records));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Audit_InReadingOrder_FindsWhatLayoutOrderFinds_WithOwnersFirstAndParentsBeforeChildren(string system, string pair)
    {
        var manifest = SampleGenerator.Generate(system, _root, 600, 8, SampleOptions.Default with { LargeAttachmentBytes = 4096 });
        var layout = SourceLayouts.Get(system);
        var spec = MappingSpecLoader.LoadShipped(pair);
        AuditBuilder Builder() => new(layout, spec, new AuditOptions
        {
            DestinationUserEmails = manifest.DestinationUsers.ToHashSet(StringComparer.OrdinalIgnoreCase),
            FileSize = path => File.Exists(Path.Combine(_root, path)) ? new FileInfo(Path.Combine(_root, path)).Length : null,
        });
        var files = ExportFolder.Discover(_root, layout).Files;
        async Task<AuditReport> Read(AuditBuilder builder, IEnumerable<ObjectLayout> order)
        {
            foreach (var obj in order)
            {
                foreach (var file in files.Where(f => f.Object.Name == obj.Name))
                {
                    await foreach (var record in ExportReader.ReadAsync(file.Path, file.RelativePath, file.Object, new ReadProblemCollector()))
                    {
                        builder.Observe(record);
                    }
                }
            }

            return builder.Build();
        }

        var ordered = Builder();
        var order = ordered.ReadingOrder();
        var inLayoutOrder = await Read(Builder(), layout.Objects);
        var inReadingOrder = await Read(ordered, order);

        static IEnumerable<string> Found(AuditReport report) => report.Findings
            .SelectMany(f => f.Records.Select(r => $"{f.Kind} {f.Count} {r.Object} {r.SourceId} {r.File}:{r.Line}:{r.Column}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(Found(inLayoutOrder), Found(inReadingOrder));
        Assert.Equal(layout.Objects.Select(o => o.Name).Order(), order.Select(o => o.Name).Order());
        if (spec.Owners is { } owners)
        {
            Assert.Equal(owners.Object, order[0].Name);
        }

        var position = order.Select((o, i) => (o.Name, i)).ToDictionary(x => x.Name, x => x.i);
        Assert.All(order.Where(o => o.Name != spec.Owners?.Object), o => Assert.All(o.Columns.Select(c => c.References).OfType<string>().Where(t => t != o.Name && position.ContainsKey(t)),
            parent => Assert.True(position[parent] < position[o.Name], $"{o.Name} is read before its parent {parent}")));
    }

    [Fact]
    public async Task Audit_ArkCaseWorkflows_BecomeBpmnRebuildPackages()
    {
        SampleGenerator.Generate("arkcase", _root, 200, 4);
        var layout = SourceLayouts.Get("arkcase");
        var audit = new AuditBuilder(layout, MappingSpecLoader.LoadShipped("arkcase-odoo"), new AuditOptions
        {
            FileSize = path => File.Exists(Path.Combine(_root, path)) ? new FileInfo(Path.Combine(_root, path)).Length : null,
            ReadText = path => File.Exists(Path.Combine(_root, path)) ? File.ReadAllText(Path.Combine(_root, path)) : null,
        });
        foreach (var file in ExportFolder.Discover(_root, layout).Files.Where(f => f.Object.Name == "workflow"))
        {
            await foreach (var record in ExportReader.ReadAsync(file.Path, file.RelativePath, file.Object, new ReadProblemCollector()))
            {
                audit.Observe(record);
            }
        }

        var report = audit.Build();

        var package = report.RebuildPackages[0];
        Assert.Equal(3, report.RebuildPackages.Count);
        var bpmn = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(package.Definition["bpmn"]);
        Assert.Contains("userTask", AuditWriter.ToJson(package), StringComparison.Ordinal);
        Assert.NotNull(bpmn["xml"]);
        Assert.Equal(AuditWriter.ToJson(report), AuditWriter.ToJson(audit.Build()));
    }
}
