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

        // Every value that names a destination record or user, found by a lookups-only mapping of every record.
        var named = new HashSet<NamedLookup>();
        var owners = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var authors = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var plan in mapping.Objects)
        {
            await foreach (var record in joined.ReadAsync(request, plan.SourceObject, static _ => { }, cancellationToken))
            {
                foreach (var value in mapping.Lookups(plan.Key, record) ?? [])
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

        // Owners are checked before anything is created: a run whose owners have no destination user stops here with
        // the list, instead of failing most of its records one at a time after loading the rest.
        var owned = owners.Order(StringComparer.OrdinalIgnoreCase).ToList();
        if (await BlockedAsync(request, owned, cancellationToken) is { } blocked)
        {
            return blocked;
        }

        var customFields = spec.Migrated
            .SelectMany(o => o.Fields.Where(f => f.Custom is not null).Select(f => new CustomFieldPlan(o.Target!, f.To, f.Custom!.Type, f.Custom.Label, f.Custom.Selection))
                .Concat(CustomTableColumns(o)))
            .DistinctBy(f => (f.Model, f.Name))
            .OrderBy(f => f.Model, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var outcome = await destination.PrepareAsync(
            new PreparePlan(customFields, [.. named.OrderBy(n => n.Model, StringComparer.Ordinal).ThenBy(n => n.Name, StringComparer.Ordinal)], owned, request.FallbackOwnerEmail, mapping.ExternalIdModule, request.OwnerTag, [.. authors.Order(StringComparer.OrdinalIgnoreCase)]),
            cancellationToken);
        await store.WriteJsonAsync(RunPaths.Lookups(request.MigrationId), outcome, cancellationToken);

        return new PrepareResult(RunPaths.Lookups(request.MigrationId), outcome.CreatedCustomFields.Count, outcome.UnmatchedOwners.Count, 0,
            outcome.FallbackOwnerProblem, [.. outcome.UnmatchedOwners.Take(MaxListed)]);
    }

    /// <summary>Owners listed in a blocked run's reason and result (the count is always exact).</summary>
    private const int MaxListed = 200;

    private async Task<PrepareResult?> BlockedAsync(MigrationRequest request, IReadOnlyList<string> owners, CancellationToken cancellationToken)
    {
        if (await destination.ListUserEmailsAsync(cancellationToken) is not { } users)
        {
            return null;
        }

        var known = users.Select(PrepareOutcome.UserKey).ToHashSet(StringComparer.Ordinal);
        var lookups = RunPaths.Lookups(request.MigrationId);
        if (request.FallbackOwnerEmail is { } fallback && !known.Contains(PrepareOutcome.UserKey(fallback)))
        {
            return new PrepareResult(lookups, 0, 0, 0, $"The fallback owner '{fallback}' is not a user of the {destination.Kind} destination: give the e-mail of an existing user (or create that user first). Nothing was written.");
        }

        var unmatched = owners.Where(o => !known.Contains(PrepareOutcome.UserKey(o))).ToList();
        if (unmatched.Count == 0 || request.FallbackOwnerEmail is not null)
        {
            return null;
        }

        var listed = string.Join(", ", unmatched.Take(20)) + (unmatched.Count > 20 ? $" and {unmatched.Count - 20} more" : string.Empty);
        return new PrepareResult(lookups, 0, unmatched.Count, 0,
            $"{unmatched.Count} owner(s) match no user of the {destination.Kind} destination and no fallback owner is set: {listed}. Create these users (same e-mail) in the destination, or run again with --fallback-owner <e-mail of a destination user>. Nothing was written.",
            [.. unmatched.Take(MaxListed)]);
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
