using Flit.Core.Sources;

namespace Flit.Sources.Readers;

/// <summary>Receives every line or value a reader could not read, as it is found (readers never stop for them).</summary>
public interface IReadProblemSink
{
    void Report(ReadProblem problem);
}

/// <summary>A sink that keeps the problems in memory, in the order they were found.</summary>
public sealed class ReadProblemCollector : IReadProblemSink
{
    private readonly List<ReadProblem> _problems = [];

    public IReadOnlyList<ReadProblem> Problems => _problems;

    public void Report(ReadProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _problems.Add(problem);
    }
}
