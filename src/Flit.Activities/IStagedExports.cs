using Flit.Core.Records;
using Flit.Core.Sources;

namespace Flit.Activities;

/// <summary>Reads the staged exports of a run, object by object, streaming; read problems go to the sink.</summary>
public interface IStagedExports
{
    IEnumerable<SourceRecord> Read(string migrationId, string sourceObject, Action<ReadProblem> problems, CancellationToken cancellationToken);
}
