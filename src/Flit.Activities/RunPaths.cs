using Flit.Core.Workflow;

namespace Flit.Activities;

/// <summary>Where each artefact of a run lives in the staging store. One place, so both hosts agree.</summary>
public static class RunPaths
{
    public static string Root(string migrationId) => $"runs/{migrationId}";

    public static string Exports(string migrationId) => $"{Root(migrationId)}/exports";

    public static string Manifest(string migrationId) => $"{Root(migrationId)}/manifest.json";

    public static string Audit(string migrationId, string extension) => $"{Root(migrationId)}/audit/audit.{extension}";

    public static string RebuildPackages(string migrationId) => $"{Root(migrationId)}/audit/rebuild";

    /// <summary>The audit's date-order decisions per file and column, which the run's transforms follow.</summary>
    public static string DateOrders(string migrationId) => $"{Root(migrationId)}/audit/date-orders.json";

    public static string ProposedSpec(string migrationId) => $"{Root(migrationId)}/spec/proposed.yaml";

    public static string Review(string migrationId) => $"{Root(migrationId)}/spec/review.md";

    /// <summary>The proposals as data (every one, included or not), for the review page.</summary>
    public static string Proposal(string migrationId) => $"{Root(migrationId)}/spec/proposal.json";

    public static string Lookups(string migrationId) => $"{Root(migrationId)}/lookups.json";

    public static string Batch(string migrationId, int phase, string sourceObject, string batchId, bool retry) =>
        $"{Root(migrationId)}/{(retry ? "retry" : "batches")}/{phase}/{sourceObject}/{batchId}.jsonl";

    /// <summary>A batch's outcome file in one run: each run (attempt) reports its own, so a later run's report never
    /// shows what an earlier one did.</summary>
    public static string Outcome(string migrationId, string runId, string batchId) => $"{Outcomes(migrationId, runId)}/{batchId}.json";

    public static string Outcomes(string migrationId, string runId) => $"{Outcomes(migrationId)}/{Core.Mapping.CompiledMapping.SafeName(runId, 40)}";

    /// <summary>The outcome files of every run of the migration.</summary>
    public static string Outcomes(string migrationId) => $"{Root(migrationId)}/outcomes";

    /// <summary>The pre-write snapshots of one batch in one run (see <c>PreWriteSnapshots</c>).</summary>
    public static string Snapshots(string migrationId, string runId, string batchId) =>
        $"{Snapshots(migrationId)}/{Core.Mapping.CompiledMapping.SafeName(runId, 40)}/{batchId}";

    public static string Snapshots(string migrationId) => $"{Root(migrationId)}/snapshots";

    public static string Report(string migrationId, string extension) => $"{Root(migrationId)}/report/report.{extension}";

    /// <summary>A run's report: the migration's for its sample and full runs, a pass's own for each delta pass (the
    /// migration's report stays the full run's).</summary>
    public static string Report(ActivityInput input, string extension)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Request.Mode == RunMode.Delta
            ? Pass(input.Request.MigrationId, input.Run, $"report.{extension}")
            : Report(input.Request.MigrationId, extension);
    }

    /// <summary>A file of one delta pass (its report, its rollback's report), by the pass's run.</summary>
    public static string Pass(string migrationId, string runId, string file) =>
        $"{Root(migrationId)}/passes/{Core.Mapping.CompiledMapping.SafeName(runId, 40)}/{file}";
}
