namespace Flit.Core.Ports;

/// <summary>A completed activity: its position in the workflow, its input's hash and its (small) output.</summary>
public sealed record JournalEntry(
    string RunId,
    int Sequence,
    string Activity,
    string InputHash,
    string OutputJson,
    DateTimeOffset CompletedAt);

/// <summary>
/// The local runner's memory of completed activities, so <c>flit resume</c> replays them instead of redoing them.
/// </summary>
public interface IRunJournal
{
    Task<IReadOnlyDictionary<int, JournalEntry>> ReadAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Appends one entry durably; appending the same (run, sequence) twice is an error.</summary>
    Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken);
}
