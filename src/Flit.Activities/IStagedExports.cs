using Flit.Core.Records;
using Flit.Core.Sources;
using Flit.Core.Workflow;

namespace Flit.Activities;

/// <summary>Reads the staged exports of a run, object by object, streaming; read problems go to the sink.</summary>
public interface IStagedExports
{
    /// <summary>
    /// The records of one object of the run's staged exports, read as the request says (its encoding). Asynchronous
    /// because the staging store is: the readers open its items again for each pass they make.
    /// </summary>
    /// <exception cref="Flit.Sources.Readers.ExportInputException">When enumerated: a file that cannot be used.</exception>
    IAsyncEnumerable<SourceRecord> ReadAsync(MigrationRequest request, string sourceObject, Action<ReadProblem> problems, CancellationToken cancellationToken);
}
