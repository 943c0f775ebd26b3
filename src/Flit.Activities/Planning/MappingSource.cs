using System.Collections.Concurrent;
using System.Text;
using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Sources;
using Flit.Core.Transforms;
using Flit.Core.Values;
using Flit.Core.Workflow;
using Flit.Sources.Layouts;

namespace Flit.Activities.Planning;

/// <summary>Gives activities the compiled mapping of the approved spec of a run.</summary>
public interface IMappingSource
{
    Task<ICompiledMapping> GetAsync(MigrationRequest request, string specHash, CancellationToken cancellationToken);
}

/// <summary>
/// Loads the run's proposed spec from staging, checks it is the one approved (by hash), and compiles it with the
/// source's time zone and date order, the owners' e-mails from the export, and the destination's schema.
/// Compiled once per process and spec hash; a compile that failed or was cancelled is forgotten, so the next call
/// tries again instead of failing for the rest of the process.
/// </summary>
public sealed class StagedMappingSource(IStagingStore store, IStagedExports exports, IDestination destination) : IMappingSource
{
    private readonly ConcurrentDictionary<(string, string), Lazy<Task<ICompiledMapping>>> _cache = new();

    public async Task<ICompiledMapping> GetAsync(MigrationRequest request, string specHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = (request.MigrationId, specHash);
        var compile = _cache.GetOrAdd(key, _ => new Lazy<Task<ICompiledMapping>>(() => CompileAsync(request, specHash, cancellationToken)));
        try
        {
            return await compile.Value;
        }
        catch
        {
            _cache.TryRemove(KeyValuePair.Create(key, compile));
            throw;
        }
    }

    private async Task<ICompiledMapping> CompileAsync(MigrationRequest request, string specHash, CancellationToken cancellationToken)
    {
        var spec = await LoadProposedAsync(store, request.MigrationId, cancellationToken);
        var hash = MappingSpecLoader.Hash(spec);
        if (!string.Equals(hash, specHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The staged spec of {request.MigrationId} has hash {hash}, but the run was approved for {specHash}. Propose and approve again.");
        }

        var layout = SourceLayouts.Get(spec.Source);
        var owners = await ReadOwnersAsync(request, spec, layout, cancellationToken);
        var context = new TransformContext(TimeZoneInfo.FindSystemTimeZoneById(layout.DefaultTimeZone), DateConventions.Of(layout), key => owners.GetValueOrDefault(key.Trim()),
            await ReadDateOrdersAsync(request.MigrationId, cancellationToken));
        var models = spec.Migrated.Select(o => o.Target!).Distinct(StringComparer.Ordinal).ToList();
        var schema = await destination.DescribeAsync(models, cancellationToken);
        return CompiledMapping.Compile(spec, request.Tenant, context, schema);
    }

    private async Task<Dictionary<string, string?>> ReadOwnersAsync(MigrationRequest request, MappingSpec spec, SourceLayout layout, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (spec.Owners is not { } directory || layout.Object(directory.Object) is null)
        {
            return owners;
        }

        await foreach (var record in exports.ReadAsync(request, directory.Object, static _ => { }, cancellationToken))
        {
            owners[(record[directory.Key] ?? record.SourceId).Trim()] = Transforms.Text(record[directory.Email]);
        }

        return owners;
    }

    /// <summary>The date order the audit proved per file and column (the run reads each date as the audit did).</summary>
    private async Task<IReadOnlyDictionary<(string File, string Column), DateOrder>?> ReadDateOrdersAsync(string migrationId, CancellationToken cancellationToken)
    {
        var path = RunPaths.DateOrders(migrationId);
        if (!await store.ExistsAsync(path, cancellationToken))
        {
            return null;
        }

        var decisions = await store.ReadJsonAsync<List<Core.Audit.DateOrderDecision>>(path, cancellationToken);
        var orders = new Dictionary<(string File, string Column), DateOrder>(FileColumnComparer.Instance);
        foreach (var decision in decisions.Where(d => d.Proven))
        {
            orders[(decision.File, decision.Column)] = decision.Order;
        }

        return orders;
    }

    /// <summary>Files compare exactly; columns as the schema does, ignoring case.</summary>
    private sealed class FileColumnComparer : IEqualityComparer<(string File, string Column)>
    {
        public static FileColumnComparer Instance { get; } = new();

        public bool Equals((string File, string Column) x, (string File, string Column) y) =>
            string.Equals(x.File, y.File, StringComparison.Ordinal) && string.Equals(x.Column, y.Column, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string File, string Column) obj) =>
            HashCode.Combine(StringComparer.Ordinal.GetHashCode(obj.File), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Column));
    }

    /// <summary>The spec the run proposed (written by the propose activity).</summary>
    public static async Task<MappingSpec> LoadProposedAsync(IStagingStore store, string migrationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var path = RunPaths.ProposedSpec(migrationId);
        if (!await store.ExistsAsync(path, cancellationToken))
        {
            throw new InvalidOperationException($"Migration {migrationId} has no proposed spec ({path}): run propose first.");
        }

        await using var stream = await store.OpenReadAsync(path, cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return MappingSpecLoader.Parse(await reader.ReadToEndAsync(cancellationToken), path);
    }
}

/// <summary>Day/month order each source writes slash dates in, unless its files prove otherwise.</summary>
public static class DateConventions
{
    public static DateOrder Of(SourceLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return layout.DefaultTimeZone.StartsWith("America/", StringComparison.Ordinal) ? DateOrder.MonthFirst : DateOrder.DayFirst;
    }
}
