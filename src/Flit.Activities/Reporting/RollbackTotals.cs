using Flit.Core.Destinations;

namespace Flit.Activities.Reporting;

/// <summary>A rollback's counts as its requests come back, with the first conflicts and failures listed.</summary>
internal sealed class RollbackTotals
{
    /// <summary>Conflict and failure messages listed in the report.</summary>
    private const int Listed = 1000;

    public int Deleted { get; private set; }

    public int Restored { get; private set; }

    public int DroppedFields { get; private set; }

    public List<string> Conflicts { get; } = [];

    public List<string> Failures { get; } = [];

    public long ConflictCount { get; private set; }

    public long FailureCount { get; private set; }

    public void Add(RollbackOutcome outcome)
    {
        Deleted += outcome.Deleted;
        Restored += outcome.Restored;
        DroppedFields += outcome.DroppedFields;
        ConflictCount += outcome.Conflicts.Count;
        FailureCount += outcome.Failures.Count;
        Conflicts.AddRange(outcome.Conflicts.Take(Listed - Conflicts.Count));
        Failures.AddRange(outcome.Failures.Take(Listed - Failures.Count));
    }

    /// <summary>A failure found before asking the destination (a pre-image missing).</summary>
    public void Fail(string message)
    {
        FailureCount++;
        if (Failures.Count < Listed)
        {
            Failures.Add(message);
        }
    }

    public RollbackReport Report(string migrationId, DateTimeOffset at, bool force) =>
        new(migrationId, at, force, Deleted, Restored, Conflicts, Failures, DroppedFields, ConflictCount, FailureCount);
}
