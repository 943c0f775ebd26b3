using System.Text.Json;
using Flit.Activities.Planning;
using Flit.Activities.Sources;
using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Workflow;

namespace Flit.Activities.Preparing;

/// <summary>
/// Before the first record moves: custom fields from the approved plan (one batch), named records (stages, teams,
/// tags, activity types) found or created, owners resolved by e-mail (unmatched ones listed, or given to the
/// fallback user). The lookups the load needs are staged for every batch.
/// </summary>
public sealed class PrepareActivity(IStagingStore store, IStagedExports exports, IDestination destination, IMappingSource mappings)
{
    public async Task<PrepareResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var specHash = input.SpecHash ?? throw new ArgumentException("Prepare needs the approved spec hash.", nameof(input));
        var mapping = await mappings.GetAsync(request, specHash, cancellationToken);
        var spec = await StagedMappingSource.LoadProposedAsync(store, request.MigrationId, cancellationToken);
        var joined = new JoinedExports(exports, spec);

        // Every value that names a destination record or user, found by mapping the records once.
        var named = new HashSet<NamedLookup>();
        var owners = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var authors = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var plan in mapping.Objects)
        {
            foreach (var record in joined.Read(request, plan.SourceObject, static _ => { }, cancellationToken))
            {
                if (mapping.Map(plan.Key, record).Record is not { } mapped)
                {
                    continue;
                }

                foreach (var value in mapped.Values.Values)
                {
                    switch (value)
                    {
                        case NamedLookup lookup:
                            named.Add(lookup with { Name = lookup.Name.Trim() });
                            break;
                        case UserLookup { AsPartner: true } author:
                            authors.Add(author.Email.Trim());
                            break;
                        case UserLookup user:
                            owners.Add(user.Email.Trim());
                            break;
                    }
                }
            }
        }

        var customFields = spec.Migrated
            .SelectMany(o => o.Fields.Where(f => f.Custom is not null).Select(f => new CustomFieldPlan(o.Target!, f.To, f.Custom!.Type, f.Custom.Label, f.Custom.Selection))
                .Concat(CustomTableColumns(o)))
            .DistinctBy(f => (f.Model, f.Name))
            .OrderBy(f => f.Model, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var outcome = await destination.PrepareAsync(
            new PreparePlan(customFields, [.. named.OrderBy(n => n.Model, StringComparer.Ordinal).ThenBy(n => n.Name, StringComparer.Ordinal)], [.. owners.Order(StringComparer.OrdinalIgnoreCase)], request.FallbackOwnerEmail, mapping.ExternalIdModule, request.OwnerTag, [.. authors.Order(StringComparer.OrdinalIgnoreCase)]),
            cancellationToken);
        await store.WriteJsonAsync(RunPaths.Lookups(request.MigrationId), outcome, cancellationToken);

        return new PrepareResult(RunPaths.Lookups(request.MigrationId), outcome.CreatedCustomFields.Count, outcome.UnmatchedOwners.Count, 0);
    }

    /// <summary>
    /// A custom table (Dataverse tables with the <c>flit_</c> publisher prefix) is created with its columns: every
    /// field and lookup the spec maps onto it is part of the plan, typed from its transform.
    /// </summary>
    private static IEnumerable<CustomFieldPlan> CustomTableColumns(ObjectMapping entry)
    {
        if (!entry.Target!.StartsWith("flit_", StringComparison.Ordinal))
        {
            return [];
        }

        return entry.Fields.Where(f => f.Custom is null).Select(f => new CustomFieldPlan(entry.Target, f.To, f.Transform switch
            {
                "decimal" => "Decimal",
                "integer" => "Integer",
                "bool" => "Boolean",
                "date" or "datetime" => "DateTime",
                "html" => "Memo",
                _ => "String",
            }, f.To))
            .Concat(entry.References.Select(r => new CustomFieldPlan(entry.Target, r.To, "Lookup", r.To)));
    }
}
