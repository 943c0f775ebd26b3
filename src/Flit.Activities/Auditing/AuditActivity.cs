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
/// <param name="destination">The destination, when known: its users are what every owner must match, listed before
/// anything moves.</param>
public sealed class AuditActivity(IStagingStore store, IStagedExports exports, IDestination? destination = null)
{
    public async Task<AuditResult> RunAsync(ActivityInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var users = destination is null ? null : await destination.ListUserEmailsAsync(cancellationToken);
        var report = await AuditAsync(request, users, cancellationToken);
        await store.WriteJsonAsync(RunPaths.Audit(request.MigrationId, "json"), report, AuditWriter.JsonOptions, cancellationToken);
        await store.WriteTextAsync(RunPaths.Audit(request.MigrationId, "md"), AuditWriter.ToMarkdown(report), cancellationToken);
        await store.WriteJsonAsync(RunPaths.DateOrders(request.MigrationId), report.DateOrders ?? [], cancellationToken);
        foreach (var package in report.RebuildPackages)
        {
            await store.WriteTextAsync($"{RunPaths.RebuildPackages(request.MigrationId)}/{package.Kind}-{CompiledMapping.Slug(package.Id, 60)}.json", AuditWriter.ToJson(package), cancellationToken);
        }

        return new AuditResult(RunPaths.Audit(request.MigrationId, "json"), report.Records, report.Findings.Sum(f => f.Count), report.BlockingFindings);
    }

    /// <summary>The audit itself, without writing it. Attachment sizes and BPMN definitions are read from the staged
    /// exports through the store, record by record, before the record is observed.</summary>
    public async Task<AuditReport> AuditAsync(MigrationRequest request, IReadOnlyCollection<string>? destinationUsers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = MappingSpecLoader.LoadShipped(request.Pair);
        var layout = SourceLayouts.Get(spec.Source);
        var files = new FetchedFiles(store, RunPaths.Exports(request.MigrationId));
        var builder = new AuditBuilder(layout, spec, new AuditOptions
        {
            DateConvention = DateConventions.Of(layout),
            DestinationUserEmails = destinationUsers?.Select(e => e.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase),
            FileSize = files.Length,
            ReadText = files.Text,
        });
        foreach (var obj in builder.ReadingOrder())
        {
            await foreach (var record in exports.ReadAsync(request, obj.Name, builder.Observe, cancellationToken))
            {
                await files.FetchAsync(builder.FilesOf(record), cancellationToken);
                builder.Observe(record);
            }
        }

        return builder.Build();
    }

    /// <summary>
    /// The staged files one record's checks look at, fetched from the store before the (synchronous) audit observes
    /// the record: only that record's, so memory does not grow with the attachments.
    /// </summary>
    private sealed class FetchedFiles(IStagingStore store, string exportsFolder)
    {
        private readonly Dictionary<string, long?> _lengths = new(StringComparer.Ordinal);
        private (string Path, string? Text)? _text;

        public async Task FetchAsync((IReadOnlyList<string> Sizes, string? Text) files, CancellationToken cancellationToken)
        {
            _lengths.Clear();
            foreach (var path in files.Sizes)
            {
                _lengths[path] = await store.LengthAsync($"{exportsFolder}/{path}", cancellationToken);
            }

            _text = files.Text is { } textPath ? (textPath, await ReadTextAsync($"{exportsFolder}/{textPath}", cancellationToken)) : null;
        }

        public long? Length(string path) =>
            _lengths.TryGetValue(path, out var length) ? length : throw new InvalidOperationException($"The audit asked for the size of '{path}', which AuditBuilder.FilesOf did not name.");

        public string? Text(string path) =>
            _text is { } fetched && fetched.Path == path ? fetched.Text : throw new InvalidOperationException($"The audit asked for the text of '{path}', which AuditBuilder.FilesOf did not name.");

        private async Task<string?> ReadTextAsync(string path, CancellationToken cancellationToken)
        {
            if (!await store.ExistsAsync(path, cancellationToken))
            {
                return null;
            }

            await using var stream = await store.OpenReadAsync(path, cancellationToken);
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync(cancellationToken);
        }
    }
}
