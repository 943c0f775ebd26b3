using System.Text;
using Flit.Activities.Planning;
using Flit.Core.Audit;
using Flit.Core.Destinations;
using Flit.Core.Mapping;
using Flit.Core.Ports;
using Flit.Core.Workflow;
using Flit.Sources.Layouts;

namespace Flit.Activities.Auditing;

/// <summary>
/// Audits the staged exports in one streaming pass per object: inventory, findings, the custom-field plan, the
/// loss-of-function disclosures and the rebuild packages, written as JSON and a readable page.
/// </summary>
/// <param name="store">Where the audit is written.</param>
/// <param name="exports">The run's staged exports.</param>
/// <param name="exportFile">Full path of a file of a run's staged exports (migration id and relative path in), for attachment checks.</param>
/// <param name="destination">The destination, when known: its users are what every owner must match, listed before
/// anything moves.</param>
public sealed class AuditActivity(IStagingStore store, IStagedExports exports, Func<string, string, string> exportFile, IDestination? destination = null)
{
    public async Task<AuditResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var users = destination is null ? null : await destination.ListUserEmailsAsync(cancellationToken);
        var report = Audit(request, cancellationToken, users);
        await store.WriteJsonAsync(RunPaths.Audit(request.MigrationId, "json"), report, AuditWriter.JsonOptions, cancellationToken);
        await store.WriteTextAsync(RunPaths.Audit(request.MigrationId, "md"), AuditWriter.ToMarkdown(report), cancellationToken);
        await store.WriteJsonAsync(RunPaths.DateOrders(request.MigrationId), report.DateOrders ?? [], cancellationToken);
        foreach (var package in report.RebuildPackages)
        {
            await store.WriteTextAsync($"{RunPaths.RebuildPackages(request.MigrationId)}/{package.Kind}-{CompiledMapping.Slug(package.Id, 60)}.json", AuditWriter.ToJson(package), cancellationToken);
        }

        return new AuditResult(RunPaths.Audit(request.MigrationId, "json"), report.Records, report.Findings.Sum(f => f.Count), report.BlockingFindings);
    }

    /// <summary>The audit itself (also used by <c>flit audit</c> without a workflow).</summary>
    public AuditReport Audit(MigrationRequest request, CancellationToken cancellationToken, IReadOnlyCollection<string>? destinationUsers = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = MappingSpecLoader.LoadShipped(request.Pair);
        var layout = SourceLayouts.Get(spec.Source);
        var builder = new AuditBuilder(layout, spec, new AuditOptions
        {
            DateConvention = DateConventions.Of(layout),
            DestinationUserEmails = destinationUsers?.Select(e => e.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase),
            FileSize = path => File.Exists(exportFile(request.MigrationId, path)) ? new FileInfo(exportFile(request.MigrationId, path)).Length : null,
            ReadText = path => File.Exists(exportFile(request.MigrationId, path)) ? File.ReadAllText(exportFile(request.MigrationId, path)) : null,
        });
        foreach (var obj in builder.ReadingOrder())
        {
            foreach (var record in exports.Read(request, obj.Name, builder.Observe, cancellationToken))
            {
                builder.Observe(record);
            }
        }

        return builder.Build();
    }
}
