using Flit.Core.Records;
using Flit.Core.Sources;
using Flit.Core.Workflow;
using Flit.Sources.Readers;

namespace Flit.Activities.Sources;

/// <summary>
/// Reads a run's staged exports from a folder on this machine (the file staging store's folder, or a local copy of
/// the blobs): finds each layout object's file and streams its records.
/// </summary>
/// <param name="folderOf">The local folder holding a migration's staged exports.</param>
/// <param name="layoutOf">The source layout of a migration (from its pair).</param>
public sealed class FolderStagedExports(Func<string, string> folderOf, Func<string, SourceLayout> layoutOf) : IStagedExports
{
    public IEnumerable<SourceRecord> Read(MigrationRequest request, string sourceObject, Action<ReadProblem> problems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var migrationId = request.MigrationId;
        var layout = layoutOf(migrationId);
        var objectLayout = layout.Object(sourceObject)
            ?? throw new ArgumentException($"The {layout.DisplayName} layout has no object '{sourceObject}'. Objects: {string.Join(", ", layout.Objects.Select(o => o.Name))}.", nameof(sourceObject));
        var contents = ExportFolder.Discover(folderOf(migrationId), layout);
        var file = contents.Files.FirstOrDefault(f => ReferenceEquals(f.Object, objectLayout) || f.Object.Name == objectLayout.Name);
        return file is null
            ? []
            : ExportReader.Read(file.Path, file.RelativePath, file.Object, new DelegateSink(problems), request.Encoding is { } name ? ExportEncodings.Resolve(name) : null, cancellationToken);
    }

    private sealed class DelegateSink(Action<ReadProblem> report) : IReadProblemSink
    {
        public void Report(ReadProblem problem) => report(problem);
    }
}
