using System.Collections.Concurrent;
using Flit.Core.Ports;

namespace Flit.Core.Tests.Workflow;

internal sealed class InMemoryRunJournal : IRunJournal
{
    private readonly ConcurrentDictionary<(string, int), JournalEntry> _entries = new();

    public int Count => _entries.Count;

    public Task<IReadOnlyDictionary<int, JournalEntry>> ReadAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<int, JournalEntry>>(_entries.Values.Where(e => e.RunId == runId).ToDictionary(e => e.Sequence));

    public Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken) =>
        _entries.TryAdd((entry.RunId, entry.Sequence), entry)
            ? Task.CompletedTask
            : throw new InvalidOperationException($"duplicate step {entry.Sequence}");
}
