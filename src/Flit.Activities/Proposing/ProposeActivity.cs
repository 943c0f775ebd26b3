using System.Text;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Proposal;
using Flit.Core.Workflow;
using Flit.Sources.Layouts;

namespace Flit.Activities.Proposing;

/// <summary>
/// The pair's default spec plus a proposal for every column it does not cover, from a sample of each object;
/// writes the proposed spec (what gets approved, by hash) and the review.
/// </summary>
public sealed class ProposeActivity(IStagingStore store, IStagedExports exports)
{
    /// <summary>Records per object the proposal looks at (types and picklists settle long before this).</summary>
    internal const int SampleRecords = 5000;

    public async Task<ProposalResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var outcome = await ProposeAsync(input.Request, cancellationToken);
        var migrationId = input.Request.MigrationId;
        await store.WriteTextAsync(RunPaths.ProposedSpec(migrationId), MappingSpecLoader.ToYaml(outcome.Spec), cancellationToken);
        await store.WriteTextAsync(RunPaths.Review(migrationId), outcome.Review, cancellationToken);
        await store.WriteJsonAsync(RunPaths.Proposal(migrationId), new StagedProposal(outcome.SpecHash, outcome.Proposals), cancellationToken);
        return new ProposalResult(RunPaths.ProposedSpec(migrationId), outcome.SpecHash, RunPaths.Review(migrationId), outcome.Proposals.Count);
    }

    public async Task<ProposalOutcome> ProposeAsync(MigrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = MappingSpecLoader.LoadShipped(request.Pair);
        var layout = SourceLayouts.Get(spec.Source);
        var observed = new List<ObservedColumn>();
        foreach (var obj in layout.Objects.Where(o => spec.Migrated.Any(m => m.Source == o.Name)))
        {
            var columns = new Dictionary<string, (long Filled, List<string> Sample)>(StringComparer.OrdinalIgnoreCase);
            long rows = 0;
            await foreach (var record in exports.ReadAsync(request, obj.Name, static _ => { }, cancellationToken).Take(SampleRecords))
            {
                rows++;
                for (var i = 0; i < record.Count; i++)
                {
                    var name = record.Schema.Columns[i];
                    if (!columns.TryGetValue(name, out var column))
                    {
                        columns[name] = column = (0, []);
                    }

                    if (!string.IsNullOrWhiteSpace(record[i]))
                    {
                        column.Sample.Add(record[i]!);
                        columns[name] = (column.Filled + 1, column.Sample);
                    }
                }
            }

            observed.AddRange(columns.Select(c => new ObservedColumn(obj.Name, c.Key, obj.Column(c.Key) is not null, rows, c.Value.Filled, c.Value.Sample)));
        }

        return MappingProposer.Propose(spec, observed);
    }
}

/// <summary>proposal.json: the hash of the proposed spec and every proposal, as the review page reads them.</summary>
public sealed record StagedProposal(string SpecHash, IReadOnlyList<ColumnProposal> Proposals);
