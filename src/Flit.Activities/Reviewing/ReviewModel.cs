using Flit.Activities.Proposing;
using Flit.Activities.Reporting;
using Flit.Core.Audit;
using Flit.Core.Mapping;
using Flit.Core.Ports;

namespace Flit.Activities.Reviewing;

/// <summary>What the review page shows: the proposed spec, every proposal, the audit and, once there is one, the
/// sample run's report.</summary>
public sealed record ReviewModel(string MigrationId, MappingSpec Spec, string SpecHash, IReadOnlyList<Core.Proposal.ColumnProposal> Proposals, AuditReport? Audit, RunReport? Sample)
{
    /// <summary>Reads the staged artefacts of a migration through the store (never a local path). The audit and the
    /// sample report are optional; the proposed spec and proposal.json are not.</summary>
    public static async Task<ReviewModel> LoadAsync(IStagingStore store, string migrationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var spec = MappingSpecLoader.Parse(await store.ReadTextAsync(RunPaths.ProposedSpec(migrationId), cancellationToken), RunPaths.ProposedSpec(migrationId));
        var proposal = await store.ReadJsonAsync<StagedProposal>(RunPaths.Proposal(migrationId), cancellationToken);
        AuditReport? audit = null;
        if (await store.ExistsAsync(RunPaths.Audit(migrationId, "json"), cancellationToken))
        {
            await using var stream = await store.OpenReadAsync(RunPaths.Audit(migrationId, "json"), cancellationToken);
            audit = await System.Text.Json.JsonSerializer.DeserializeAsync<AuditReport>(stream, AuditWriter.JsonOptions, cancellationToken);
        }

        var sample = await store.ExistsAsync(RunPaths.Report(migrationId, "json"), cancellationToken)
            ? await RunReport.ReadAsync(store, RunPaths.Report(migrationId, "json"), cancellationToken)
            : null;
        return new ReviewModel(migrationId, spec, proposal.SpecHash, proposal.Proposals, audit, sample);
    }
}
