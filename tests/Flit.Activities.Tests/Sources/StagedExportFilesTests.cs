using System.Security.Cryptography;
using System.Text;
using Flit.Activities.Auditing;
using Flit.Activities.Partitioning;
using Flit.Activities.Planning;
using Flit.Activities.Proposing;
using Flit.Activities.Sources;
using Flit.Core.Audit;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Records;
using Flit.Core.Sources;
using Flit.Core.Transforms;
using Flit.Core.Workflow;
using Flit.Samples;
using Flit.Sources.Layouts;
using Flit.Sources.Readers;
using Flit.Storage.Local;
using Moq;

namespace Flit.Activities.Tests.Sources;

/// <summary>
/// The activities read staged exports through the store's listing and read streams only: a store that is a blob
/// container to them (no local path, read streams that do not seek) gives what the file staging store gives.
/// </summary>
public sealed class StagedExportFilesTests : IDisposable
{
    private const string Migration = "m";

    private readonly string _root = Directory.CreateTempSubdirectory("flit-staged-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static MigrationRequest Request(string pair) => new(Migration, "acme", pair, "drop", RunMode.Full);

    [Fact]
    public async Task AuditProposeAndPartition_ForwardOnlyStoreWithoutLocalPath_SameAsFileStagingStore()
    {
        // Actimo's export holds CSV, XLSX and JSON files, and attachments whose sizes the audit checks.
        var exports = Path.Combine(_root, "exports");
        SampleGenerator.Generate("actimo", exports, 300, 5, SampleOptions.Default with { LargeAttachmentBytes = 4096 });
        var formats = ExportFolder.Discover(exports, SourceLayouts.Get("actimo")).Files.Select(f => Path.GetExtension(f.RelativePath)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Superset(new HashSet<string>([".csv", ".xlsx", ".json"], StringComparer.OrdinalIgnoreCase), formats);
        // One attachment gone, one emptied: the audit must learn both from the store.
        var attachments = Directory.EnumerateFiles(Path.Combine(exports, "files"), "*.pdf", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        File.Delete(attachments[0]);
        await File.WriteAllBytesAsync(attachments[1], []);

        var throughFiles = await AuditAndPartitionAsync(new FileStagingStore(Path.Combine(_root, "staging")), exports);
        var throughStreams = await AuditAndPartitionAsync(new InMemoryStagingStore(), exports);

        Assert.Equal(throughFiles.Audit, throughStreams.Audit);
        Assert.Equal(throughFiles.Batches, throughStreams.Batches);
        var audit = AuditWriter.FromJson(throughStreams.Audit);
        Assert.All(["survey_response", "learning_completion", "learning_path"], name => Assert.True(audit.Inventory.Single(i => i.Object == name).Records > 0, name));
        Assert.Contains(audit.Findings, f => f.Kind == FindingKinds.MissingAttachment);
        Assert.Contains(audit.Findings, f => f.Kind == FindingKinds.EmptyAttachment);
        Assert.True(throughStreams.Batches.Count > 1);
    }

    /// <summary>The audit as JSON and every batch file (path, records, bytes' hash) the partition wrote.</summary>
    private static async Task<(string Audit, List<string> Batches)> AuditAndPartitionAsync(IStagingStore store, string exports)
    {
        await StagedFolder.CopyAsync(exports, store, Migration);
        var request = Request("actimo-odoo");
        var staged = new StagedExportFiles(store, _ => SourceLayouts.Get("actimo"));
        var audit = await new AuditActivity(store, staged).AuditAsync(request, null, CancellationToken.None);
        var proposal = await new ProposeActivity(store, staged).RunAsync(new ActivityInput(request), CancellationToken.None);
        var mapping = CompiledMapping.Compile(await StagedMappingSource.LoadProposedAsync(store, Migration, CancellationToken.None), "acme", TransformContext.Utc);
        var mappings = new Mock<IMappingSource>();
        mappings.Setup(m => m.GetAsync(It.IsAny<MigrationRequest>(), proposal.SpecHash, It.IsAny<CancellationToken>())).ReturnsAsync(mapping);

        var idMap = new Mock<IIdMap>();
        idMap.Setup(m => m.ListSourceDigestsAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(AsyncEnumerable.Empty<(string, string?)>());
        var plan = await new PartitionActivity(store, staged, mappings.Object, idMap.Object).RunAsync(new ActivityInput(request, proposal.SpecHash), CancellationToken.None);

        var batches = new List<string>();
        foreach (var batch in plan.Phases.SelectMany(p => p.Batches))
        {
            await using var stream = await store.OpenReadAsync(batch.BatchPath, CancellationToken.None);
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes);
            batches.Add($"{batch.BatchPath} {batch.Records} {Convert.ToHexString(SHA256.HashData(bytes.ToArray()))}");
        }

        return (AuditWriter.ToJson(audit), batches);
    }

    [Fact]
    public async Task AuditAsync_ArkCaseWorkflowsInAForwardOnlyStore_PackageTheirBpmnDefinitionsReadThroughTheStore()
    {
        var exports = Path.Combine(_root, "arkcase");
        SampleGenerator.Generate("arkcase", exports, 200, 4);
        var store = new InMemoryStagingStore();
        await StagedFolder.CopyAsync(exports, store, Migration);

        var report = await new AuditActivity(store, new StagedExportFiles(store, _ => SourceLayouts.Get("arkcase"))).AuditAsync(Request("arkcase-odoo"), null, CancellationToken.None);

        var workflows = report.RebuildPackages.Where(p => p.Kind == "workflow").ToList();
        Assert.NotEmpty(workflows);
        Assert.All(workflows, package => Assert.True(package.Definition.ContainsKey("bpmn"), package.Id));
        Assert.Contains("userTask", AuditWriter.ToJson(workflows[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_BadLinesInAStagedFile_ReportedWithTheFileLineAndColumn()
    {
        var store = new InMemoryStagingStore();
        await store.WriteTextAsync($"{RunPaths.Exports(Migration)}/Contacts.CSV",
            "Contact ID,First Name,Last Name,Email\nC1,Ada,Lovelace,ada@x.org\nC2,Too,many,fields,here\nC3,Alan,Turing,alan@x.org\n", CancellationToken.None);
        var problems = new List<ReadProblem>();

        var records = await new StagedExportFiles(store, _ => SourceLayouts.Get("oncourse")).ReadAsync(Request("oncourse-odoo"), "contact", problems.Add, CancellationToken.None).ToListAsync();

        Assert.Equal(["C1", "C3"], records.Select(r => r.SourceId));
        Assert.Equal([("Contacts.CSV", 2L), ("Contacts.CSV", 4L)], records.Select(r => (r.Location.File, r.Location.Line)));
        var problem = Assert.Single(problems);
        Assert.Equal(("Contacts.CSV", 3L, 5), (problem.File, problem.Line, problem.Column));
    }

    [Fact]
    public async Task ReadAsync_UndecodableStagedFile_ThrowsNamingTheFileLineAndColumn()
    {
        var store = new InMemoryStagingStore();
        await using (var stream = await store.OpenWriteAsync($"{RunPaths.Exports(Migration)}/contacts.csv", CancellationToken.None))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("Contact ID,First Name\nC1,Ada\nC2,Bo\u0001b\n"));
            await stream.CommitAsync(CancellationToken.None);
        }

        var error = await Assert.ThrowsAsync<ExportEncodingException>(async () =>
            await new StagedExportFiles(store, _ => SourceLayouts.Get("oncourse")).ReadAsync(Request("oncourse-odoo"), "contact", _ => { }, CancellationToken.None).ToListAsync());

        Assert.Equal(("contacts.csv", 3L, 6), (error.File, error.Line, error.Column));
        Assert.StartsWith("contacts.csv, line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ObjectWithoutAStagedFile_ReadsNothing()
    {
        var store = new InMemoryStagingStore();
        await store.WriteTextAsync($"{RunPaths.Exports(Migration)}/users.csv", "Name,Email\nAnn,ann@x.org\n", CancellationToken.None);

        var records = await new StagedExportFiles(store, _ => SourceLayouts.Get("oncourse")).ReadAsync(Request("oncourse-odoo"), "contact", _ => { }, CancellationToken.None).ToListAsync();

        Assert.Empty(records);
    }
}
