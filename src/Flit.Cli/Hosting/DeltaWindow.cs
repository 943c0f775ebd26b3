using Flit.Core.Workflow;

namespace Flit.Cli.Hosting;

/// <summary>
/// The delta-pickup window of a migration run in full: open from the full run's end until <see cref="ClosesAt"/>
/// (48 hours unless <c>--delta-window</c> says otherwise), with what each pass of it did.
/// </summary>
/// <param name="OpenedAt">When the full run ended and opened it.</param>
/// <param name="ClosesAt">Its deadline: no pass starts after it.</param>
/// <param name="Passes">Each finished pass, in order.</param>
/// <param name="ClosedAt">When it was closed (by its final reconciliation), or null while open.</param>
public sealed record DeltaWindow(DateTimeOffset OpenedAt, DateTimeOffset ClosesAt, IReadOnlyList<DeltaPass> Passes, DateTimeOffset? ClosedAt = null)
{
    /// <summary>Whether a pass may start at <paramref name="now"/>.</summary>
    public bool IsOpenAt(DateTimeOffset now) => ClosedAt is null && now < ClosesAt;

    /// <summary>The number the next pass gets.</summary>
    public int NextPass => Passes.Count == 0 ? 1 : Passes.Max(p => p.Number) + 1;

    /// <summary>The window with a finished pass recorded (a resumed pass replaces what an earlier try recorded).</summary>
    public DeltaWindow With(DeltaPass pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        return this with { Passes = [.. Passes.Where(p => p.Number != pass.Number).Append(pass).OrderBy(p => p.Number)] };
    }
}

/// <summary>One finished delta pass: its run, when it ended, its counts, its report, and when it was rolled back.</summary>
public sealed record DeltaPass(
    int Number,
    string RunId,
    DateTimeOffset At,
    long Source,
    long Created,
    long Updated,
    long Unchanged,
    long Conflicts,
    long RemovedAtSource,
    long Failed,
    long Skipped,
    string ReportPath,
    DateTimeOffset? RolledBackAt = null)
{
    public static DeltaPass Of(int number, string runId, DateTimeOffset at, ReconcileResult counts, string reportPath)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new(number, runId, at, counts.Source, counts.Created, counts.Updated, counts.Unchanged, counts.Conflicts, counts.RemovedAtSource, counts.Failed, counts.Skipped, reportPath);
    }
}
