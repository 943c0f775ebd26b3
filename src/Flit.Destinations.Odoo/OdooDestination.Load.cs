using System.Globalization;
using Flit.Core.Destinations;
using Flit.Destinations.Odoo.Rpc;

namespace Flit.Destinations.Odoo;

/// <summary>load() calls: rows in as few calls as their columns allow, refused rows isolated with Odoo's message.</summary>
public sealed partial class OdooDestination
{
    /// <summary>Text per load() call, well under the 128 MiB request body Odoo accepts (XML-RPC markup and escapes on top).</summary>
    private const long MaxCharsPerLoad = 64L * 1024 * 1024;

    /// <summary>
    /// Loads the records in as few calls as their columns allow (<see cref="LoadRows"/>). load() answers a refused batch
    /// with a message per bad row and writes nothing: those rows fail with Odoo's message and the rest go again in one
    /// call. A fault instead of messages (a constraint checked at commit) is isolated by halving.
    /// </summary>
    private async Task LoadIsolatingFailuresAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, List<DestinationRecord> records, Dictionary<string, long> existing, List<UpsertOutcome> outcomes, CancellationToken cancellationToken)
    {
        var keptOut = await KeptOutWhenEmptyAsync(model, fields, cancellationToken);
        var pending = records;

        // load() looks xmlids up before creating anything: the same xmlid twice in one call would create two records.
        // Repeats go in a later call, which updates what the first one wrote.
        while (pending.Count > 0)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var now = new List<DestinationRecord>(pending.Count);
            var repeats = new List<DestinationRecord>();
            foreach (var record in pending)
            {
                (seen.Add(record.ExternalId) ? now : repeats).Add(record);
            }

            pending = repeats;
            foreach (var slice in LoadRows.Group(now, existing.ContainsKey, keptOut, fields).SelectMany(g => LoadRows.Slices(g, MaxCharsPerLoad)))
            {
                await LoadGroupAsync(model, fields, slice, existing, outcomes, cancellationToken);
            }

            foreach (var created in outcomes.Where(o => o.Status == UpsertStatus.Created && o.DestinationId is not null && !existing.ContainsKey(o.ExternalId)))
            {
                existing[created.ExternalId] = long.Parse(created.DestinationId!, CultureInfo.InvariantCulture);
            }
        }
    }

    private async Task LoadGroupAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, List<DestinationRecord> records, Dictionary<string, long> existing, List<UpsertOutcome> outcomes, CancellationToken cancellationToken)
    {
        while (records.Count > 0)
        {
            var names = records[0].Values.Keys.Order(StringComparer.Ordinal).ToList();
            var header = new List<object?> { "id" };
            header.AddRange(names.Select(n => (object?)(fields.TryGetValue(n, out var f) && f.Type is "many2one" or "many2many" ? n + "/.id" : n)));
            var rows = records.Select(r => (object?)new List<object?>(names.Select(n => (object?)OdooValues.LoadText(fields, n, r.Values[n])).Prepend(r.ExternalId))).ToList();
            IReadOnlyDictionary<string, object?> answer;
            try
            {
                answer = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync(model, "load", [header, rows], LoadContext(), cancellationToken))!;
            }
            catch (OdooException e) when (e is OdooUserException or OdooServerException { IsTransient: false })
            {
                await IsolateAsync(e.Message);
                return;
            }

            if (answer.GetValueOrDefault("ids") is List<object?> ids)
            {
                outcomes.AddRange(records.Select((r, i) =>
                {
                    var id = Convert.ToString(ids[i], CultureInfo.InvariantCulture);
                    return new UpsertOutcome(r.ExternalId, existing.ContainsKey(r.ExternalId) ? UpsertStatus.Updated : UpsertStatus.Created, id);
                }));
                return;
            }

            // Each message names its row in 'record' (or 'rows.from'); one that names none refuses the call as a whole.
            var messages = (answer.GetValueOrDefault("messages") as List<object?> ?? []).OfType<IReadOnlyDictionary<string, object?>>()
                .Where(m => m.GetValueOrDefault("type") is "error").ToList();
            var refused = messages
                .Select(m => (Row: RowOf(m), Message: m.GetValueOrDefault("message") as string ?? "refused by Odoo"))
                .Where(m => m.Row is { } row && row >= 0 && row < records.Count)
                .GroupBy(m => m.Row!.Value)
                .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(m => m.Message)));
            if (refused.Count == 0)
            {
                await IsolateAsync(messages.Count == 0 ? "Odoo refused the rows without a message" : MessageText(messages));
                return;
            }

            // When the batch fails as a whole, Odoo files that error under the first row (load()'s flush): a message on
            // row 0 beside others is not proof against it, so row 0 is tried again on its own.
            if (refused.Count > 1 && refused.Remove(0))
            {
                await LoadGroupAsync(model, fields, [records[0]], existing, outcomes, cancellationToken);
                refused = refused.ToDictionary(r => r.Key - 1, r => r.Value);
                records = records[1..];
            }

            foreach (var (row, message) in refused)
            {
                outcomes.Add(new UpsertOutcome(records[row].ExternalId, UpsertStatus.Failed, existing.TryGetValue(records[row].ExternalId, out var known) ? known.ToString(CultureInfo.InvariantCulture) : null, message, IsMissingLink(message)));
            }

            records = [.. records.Where((_, i) => !refused.ContainsKey(i))];
        }

        // Refused as a whole: halve until each refusal names its own record.
        async Task IsolateAsync(string message)
        {
            if (records.Count == 1)
            {
                outcomes.Add(new UpsertOutcome(records[0].ExternalId, UpsertStatus.Failed, null, message, IsMissingLink(message)));
                return;
            }

            var half = records.Count / 2;
            await LoadGroupAsync(model, fields, records[..half], existing, outcomes, cancellationToken);
            await LoadGroupAsync(model, fields, records[half..], existing, outcomes, cancellationToken);
        }
    }

    /// <summary>Set-up rows that must all load (custom fields, named records): a refusal stops the run with Odoo's words.</summary>
    private async Task<List<object?>> LoadAllAsync(string model, IReadOnlyList<string> columns, List<object?> rows, CancellationToken cancellationToken)
    {
        var answer = (IReadOnlyDictionary<string, object?>)(await client.ExecuteKwAsync(model, "load", [columns.Select(c => (object?)c).ToList(), rows], LoadContext(), cancellationToken))!;
        return answer.GetValueOrDefault("ids") as List<object?>
            ?? throw new InvalidOperationException($"Odoo refused to create {model} records: {MessageText((answer.GetValueOrDefault("messages") as List<object?> ?? []).OfType<IReadOnlyDictionary<string, object?>>())}");
    }

    private static string MessageText(IEnumerable<IReadOnlyDictionary<string, object?>> messages) =>
        string.Join("; ", messages.Select(m => m.GetValueOrDefault("message")));

    private static int? RowOf(IReadOnlyDictionary<string, object?> message) =>
        message.GetValueOrDefault("record") is long record ? (int)record
        : message.GetValueOrDefault("rows") is IReadOnlyDictionary<string, object?> rows && rows.GetValueOrDefault("from") is long from ? (int)from
        : null;

    /// <summary>A link to a record that does not exist (yet): the retry pass may resolve it.</summary>
    private static bool IsMissingLink(string message) =>
        message.Contains("another model requires", StringComparison.Ordinal) || message.Contains("No matching record found", StringComparison.Ordinal);

    private async Task<UpsertOutcome> WriteOneAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, DestinationRecord record, long id, UpsertStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await client.ExecuteKwAsync(model, "write", [new List<object?> { id }, OdooValues.ForWrite(fields, record.Values)], Context(), cancellationToken);
            return new UpsertOutcome(record.ExternalId, status, id.ToString(CultureInfo.InvariantCulture));
        }
        catch (OdooException e) when (e is OdooUserException or OdooServerException { IsTransient: false })
        {
            return new UpsertOutcome(record.ExternalId, UpsertStatus.Failed, id.ToString(CultureInfo.InvariantCulture), e.Message);
        }
    }

    /// <summary>
    /// The fields a created record leaves out of its row when it has no value: those create() would fill when left out —
    /// a meaningful default (default_get, in load()'s context), a computed or company-dependent field — and numbers.
    /// When the server does not say which fields it computes, or default_get fails, every field is kept out (each row
    /// sends only its own values).
    /// </summary>
    private async Task<IReadOnlySet<string>> KeptOutWhenEmptyAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, CancellationToken cancellationToken)
    {
        if (_keptOutWhenEmpty.TryGetValue(model, out var cached))
        {
            return cached;
        }

        // Batches load in parallel: the first to get here asks Odoo, the others wait for its answer.
        await _askingDefaults.WaitAsync(cancellationToken);
        try
        {
            return _keptOutWhenEmpty.TryGetValue(model, out cached) ? cached : await AskKeptOutWhenEmptyAsync(model, fields, cancellationToken);
        }
        finally
        {
            _askingDefaults.Release();
        }
    }

    private async Task<IReadOnlySet<string>> AskKeptOutWhenEmptyAsync(string model, IReadOnlyDictionary<string, DestinationField> fields, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, object?>? defaults = null;
        var computed = _computed.GetValueOrDefault(model);
        if (computed is not null)
        {
            try
            {
                defaults = await client.ExecuteKwAsync(model, "default_get", [fields.Keys.Select(f => (object?)f).ToList()], LoadContext(), cancellationToken) as IReadOnlyDictionary<string, object?>;
            }
            catch (OdooException e) when (e is OdooUserException or OdooServerException { IsTransient: false })
            {
                defaults = null;
            }
        }

        IReadOnlySet<string> keptOut = computed is null || defaults is null
            ? fields.Keys.ToHashSet(StringComparer.Ordinal)
            : fields.Values.Where(f => computed.Contains(f.Name) || f.Type is "integer" or "float" or "monetary" or "many2one_reference" || OdooValues.HasValue(defaults.GetValueOrDefault(f.Name)))
                .Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        return _keptOutWhenEmpty[model] = keptOut;
    }
}
