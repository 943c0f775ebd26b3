using System.Collections.Concurrent;
using System.Globalization;
using Flit.Core.Destinations;
using Flit.Core.Records;
using Flit.Destinations.Odoo.Rpc;

namespace Flit.Destinations.Odoo;

/// <summary>
/// Writes to Odoo through its external API: records are upserted under deterministic xmlids (ir.model.data in the
/// migration's own module), many per call, with the import context keys so no chatter, notification or invitation
/// is produced. A batch Odoo refuses is split until the refused records are isolated, each keeping Odoo's message.
/// Prepare, the load() calls, partner matching, leads and rollback live in the partial files beside this one.
/// </summary>
public sealed partial class OdooDestination(OdooClient client) : IDestination
{
    /// <summary>Context keys on every write (facts/odoo.md): no tracking messages, no followers, no mails.</summary>
    private static readonly Dictionary<string, object?> ImportContext = new()
    {
        ["tracking_disable"] = true,
        ["mail_create_nolog"] = true,
        ["mail_create_nosubscribe"] = true,
        ["mail_notrack"] = true,
        ["mail_activity_quick_update"] = true,
        ["no_mail_to_attendees"] = true,
    };

    /// <summary>
    /// Records per call a run should send to Odoo: load() is built for thousands of rows (the import wizard's published
    /// figures use 2,000), a call costs Odoo a fixed overhead on top of its records, and each call of a round also costs a
    /// share of its snapshot and presence lookups. Calls stay well inside Odoo's time limits (<c>limit_time_real</c> 120 s)
    /// at the 100–130 records/s per worker published for load().
    /// </summary>
    public const int RecordsPerCall = 1000;

    /// <summary>xmlid names of what Prepare creates (stages, teams, tags, projects...), within the migration's module.</summary>
    private const string PreparedPrefix = "prep_";

    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, DestinationField>> _fields = new(StringComparer.Ordinal);

    /// <summary>Stored fields per model (fields_get's <c>store</c>): what a snapshot reads and a rollback can write back.</summary>
    private readonly ConcurrentDictionary<string, HashSet<string>> _stored = new(StringComparer.Ordinal);

    /// <summary>Fields per model that Odoo computes (fields_get's <c>depends</c>) or keeps per company; null when the server
    /// does not say which.</summary>
    private readonly ConcurrentDictionary<string, HashSet<string>?> _computed = new(StringComparer.Ordinal);

    /// <summary>Per model, the fields a created record leaves out of its load() row when it has no value (see <see cref="LoadRows"/>).</summary>
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _keptOutWhenEmpty = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _askingDefaults = new(1, 1);

    private readonly SnapshotMemory _memory = new();

    private readonly ReadBackLookups _readBacks = new();

    public string Kind => "odoo";

    public async Task<DestinationSchema> DescribeAsync(IReadOnlyCollection<string> models, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        var result = new Dictionary<string, IReadOnlyDictionary<string, DestinationField>>(StringComparer.Ordinal);
        foreach (var model in models.Distinct(StringComparer.Ordinal))
        {
            result[model] = await FieldsAsync(model, refresh: true, cancellationToken);
        }

        return new DestinationSchema(result);
    }

    public async Task<IReadOnlyCollection<string>?> ListUserEmailsAsync(CancellationToken cancellationToken) =>
        [.. (await client.ExecuteKwAsync("res.users", "search_read", [new List<object?>(), new List<object?> { "email" }], null, cancellationToken) as List<object?> ?? [])
            .OfType<IReadOnlyDictionary<string, object?>>().Select(u => u.GetValueOrDefault("email")).OfType<string>().Where(e => e.Length > 0)];

    public async Task<IReadOnlyList<UpsertOutcome>> UpsertAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _readBacks.Forget(model);
        var fields = await FieldsAsync(model, refresh: false, cancellationToken);
        var existing = await KnownOrExistingAsync(model, batch, cancellationToken);
        var outcomes = new List<UpsertOutcome>(batch.Count);
        var warnings = new Dictionary<string, RecordIssue>(StringComparer.Ordinal);
        var toLoad = batch.ToList();
        if (model == "res.partner")
        {
            toLoad = await UpdateMatchedPartnersAsync(fields, [.. toLoad.Where(r => !existing.ContainsKey(r.ExternalId))], outcomes, warnings, cancellationToken);
            toLoad.AddRange(batch.Where(r => existing.ContainsKey(r.ExternalId)));
        }

        ClosingDates? closing = null;
        if (model == "crm.lead")
        {
            toLoad = await KeepContactsIntactAsync([.. toLoad.Select(AsOdooWonOrLost)], warnings, cancellationToken);
            (toLoad, closing) = await TakeClosingDatesAsync(toLoad, existing, cancellationToken);
        }

        // load() creates each record together with its xmlid in one transaction (and writes those whose xmlid exists):
        // a crash can never leave a record without its xmlid, so running the batch again never duplicates.
        await LoadIsolatingFailuresAsync(model, fields, toLoad, existing, outcomes, cancellationToken);
        if (closing is not null)
        {
            await RestoreClosingDatesAsync(closing, outcomes, cancellationToken);
        }

        return warnings.Count == 0 ? outcomes : [.. outcomes.Select(o => warnings.TryGetValue(o.ExternalId, out var warning) ? o with { Warning = warning } : o)];
    }

    public async Task<IReadOnlyList<ReadBackRecord>> ReadBackAsync(string model, IReadOnlyCollection<string> externalIds, IReadOnlyCollection<string> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        ArgumentNullException.ThrowIfNull(fields);
        var existing = _readBacks.Recall(model, externalIds);
        if (existing is null)
        {
            existing = await ExistingAsync(model, [.. externalIds], cancellationToken);
            _readBacks.Remember(model, externalIds, existing);
        }

        if (existing.Count == 0)
        {
            return [];
        }

        var known = await FieldsAsync(model, refresh: false, cancellationToken);
        var wanted = fields.Where(known.ContainsKey).Append("id").Distinct(StringComparer.Ordinal).ToList();
        var rows = (List<object?>)(await client.ExecuteKwAsync(model, "read", [existing.Values.Select(v => (object?)v).ToList(), wanted.Select(w => (object?)w).ToList()], Context(), cancellationToken))!;
        var byId = existing.ToDictionary(e => e.Value, e => e.Key);
        return [.. rows.OfType<IReadOnlyDictionary<string, object?>>()
            .Where(r => r["id"] is long id && byId.ContainsKey(id))
            .Select(r => new ReadBackRecord(byId[(long)r["id"]!], Convert.ToString(r["id"], CultureInfo.InvariantCulture)!, r.Where(v => v.Key != "id").ToDictionary(v => v.Key, v => v.Value)))];
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        _askingDefaults.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Records of this model already under the batch's xmlids, by xmlid: what the snapshot of the same records learned,
    /// and Odoo's answer for those no snapshot looked up (records the migration wrote before).
    /// </summary>
    private async Task<Dictionary<string, long>> KnownOrExistingAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, long>(StringComparer.Ordinal);
        var unknown = _memory.TakeRecords(model, batch.Select(r => r.ExternalId), existing);
        if (unknown.Count > 0)
        {
            foreach (var (externalId, id) in await ExistingAsync(model, unknown, cancellationToken))
            {
                existing[externalId] = id;
            }
        }

        return existing;
    }

    /// <summary>Records of this model already under the given xmlids, by xmlid.</summary>
    private async Task<Dictionary<string, long>> ExistingAsync(string model, List<string> externalIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var module in externalIds.Select(Split).GroupBy(x => x.Module))
        {
            var rows = await SearchReadAsync("ir.model.data", [["module", "=", module.Key], ["model", "=", model], ["name", "in", module.Select(m => m.Name).ToList()]], ["name", "res_id"], cancellationToken);
            foreach (var row in rows)
            {
                result[$"{module.Key}.{row["name"]}"] = OdooValues.Integer(row["res_id"]) ?? 0;
            }
        }

        return result;
    }

    private async Task<IReadOnlyDictionary<string, DestinationField>> FieldsAsync(string model, bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && _fields.TryGetValue(model, out var cached))
        {
            return cached;
        }

        // Always restricted attributes: an unrestricted fields_get can fault on some models in 19.
        var answer = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync(model, "fields_get", [], new Dictionary<string, object?> { ["attributes"] = new List<object?> { "type", "required", "relation", "store", "depends", "company_dependent" } }, cancellationToken))!;
        var fields = answer.ToDictionary(
            f => f.Key,
            f => f.Value is IReadOnlyDictionary<string, object?> a
                ? new DestinationField(f.Key, a.GetValueOrDefault("type") as string ?? "char", a.GetValueOrDefault("required") is true, a.GetValueOrDefault("relation") as string)
                : new DestinationField(f.Key, "char", false),
            StringComparer.Ordinal);
        _fields[model] = fields;
        _stored[model] = answer.Where(f => f.Value is IReadOnlyDictionary<string, object?> a && a.GetValueOrDefault("store") is not false).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        _computed[model] = answer.Values.Any(a => a is IReadOnlyDictionary<string, object?> d && d.ContainsKey("depends"))
            ? answer.Where(f => f.Value is IReadOnlyDictionary<string, object?> a && (a.GetValueOrDefault("depends") is IList<object?> { Count: > 0 } || a.GetValueOrDefault("company_dependent") is true))
                .Select(f => f.Key).ToHashSet(StringComparer.Ordinal)
            : null;
        _keptOutWhenEmpty.TryRemove(model, out _);
        return fields;
    }

    private Task<List<IReadOnlyDictionary<string, object?>>> SearchReadAsync(string model, IReadOnlyList<object?[]> domain, IReadOnlyList<string> fields, CancellationToken cancellationToken) =>
        SearchReadDomainAsync(model, [.. domain.Select(d => (object?)d.ToList())], fields, cancellationToken);

    /// <summary>Records matching any of the terms (Odoo's prefix '|').</summary>
    private Task<List<IReadOnlyDictionary<string, object?>>> SearchReadAnyAsync(string model, IReadOnlyList<object?[]> anyOf, IReadOnlyList<string> fields, CancellationToken cancellationToken) =>
        SearchReadDomainAsync(model, [.. Enumerable.Repeat((object?)"|", anyOf.Count - 1), .. anyOf.Select(d => (object?)d.ToList())], fields, cancellationToken);

    private async Task<List<IReadOnlyDictionary<string, object?>>> SearchReadDomainAsync(string model, List<object?> domain, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var rows = await client.ExecuteKwAsync(model, "search_read", [domain, fields.Select(f => (object?)f).ToList()], ArchivedToo(), cancellationToken);
        return [.. ((List<object?>)rows!).OfType<IReadOnlyDictionary<string, object?>>()];
    }

    /// <summary>Records matching a domain, archived ones included.</summary>
    private async Task<long> CountAsync(string model, IReadOnlyList<object?[]> domain, CancellationToken cancellationToken) =>
        Convert.ToInt64(await client.ExecuteKwAsync(model, "search_count", [domain.Select(d => (object?)d.ToList()).ToList()], ArchivedToo(), cancellationToken), CultureInfo.InvariantCulture);

    /// <summary>Searches see archived records too: the migration's own records may be archived (lost leads).</summary>
    private static Dictionary<string, object?> ArchivedToo() => new() { ["context"] = new Dictionary<string, object?> { ["active_test"] = false } };

    private static Dictionary<string, object?> Context() => new() { ["context"] = ImportContext };

    /// <summary>
    /// load()'s context: the import keys; <c>noupdate</c> marks the xmlids it registers as created by the migration;
    /// <c>tz</c> UTC because load() reads datetimes in the context's (else the user's) time zone; <c>active_test</c>
    /// off because load() checks <c>field/.id</c> links with a search, which would not see an archived record.
    /// </summary>
    private static Dictionary<string, object?> LoadContext() => new()
    {
        ["context"] = new Dictionary<string, object?>(ImportContext) { ["noupdate"] = true, ["tz"] = "UTC", ["active_test"] = false },
    };

    /// <summary>The xmlid name of a record Prepare created: the migration's tag, the model and a hash of the name.</summary>
    private static string PreparedName(string ownerTag, string model, string name) => $"{PreparedXmlIdPrefix(ownerTag)}{model.Replace('.', '_')}_{ShortHash(name)}";

    private static string PreparedXmlIdPrefix(string ownerTag) => $"{PreparedPrefix}{ownerTag}__";

    /// <summary>The xmlid names of custom fields a migration created start with this.</summary>
    private static string FieldXmlIdPrefix(string ownerTag) => $"field_{ownerTag}__";

    private static string ShortHash(string name) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name.Trim().ToUpperInvariant())))[..12];

    private static (string Module, string Name) Split(string externalId)
    {
        var dot = externalId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? (externalId[..dot], externalId[(dot + 1)..]) : ("__import__", externalId);
    }
}
