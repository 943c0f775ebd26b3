using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Flit.Core.Destinations;
using Microsoft.Data.Sqlite;

namespace Flit.Destinations.Rehearsal;

/// <summary>
/// A destination that writes exactly what would be sent — one JSON file per call — and keeps what it "holds" in
/// SQLite, obeying the rules a real CRM enforces: upsert by external id (never a duplicate), unknown fields,
/// missing required values and links to records that do not exist are refused with a message. Its state survives
/// restarts, so a resumed run sees what the first attempt wrote.
/// </summary>
public sealed class RehearsalDestination : IDestination
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS records (model TEXT NOT NULL, external_id TEXT NOT NULL, id INTEGER NOT NULL, origin TEXT NOT NULL, hash TEXT NOT NULL, vals TEXT NOT NULL, written_at TEXT, PRIMARY KEY (model, external_id));
        CREATE UNIQUE INDEX IF NOT EXISTS records_id ON records (model, id);
        CREATE TABLE IF NOT EXISTS named (model TEXT NOT NULL, name TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (model, name));
        CREATE TABLE IF NOT EXISTS users (email TEXT NOT NULL PRIMARY KEY, id INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS custom_fields (model TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY (model, name));
        """;


    /// <summary>Ids per query; they travel as one JSON array (json_each): binding hundreds of named parameters
    /// costs a search by name for each.</summary>
    private const int IdsPerQuery = 2000;

    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;
    private readonly string _sentFolder;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly DestinationSchema _standard;

    private readonly TimeProvider _time;

    private RehearsalDestination(SqliteConnection connection, string folder, DestinationSchema standard, TimeProvider time)
    {
        _time = time;
        _connection = connection;
        _sentFolder = Path.Combine(folder, "sent");
        _standard = standard;
    }

    public string Kind => "rehearsal";

    /// <summary>Opens (or creates) a rehearsal destination in a folder; users are the destination's user e-mails.</summary>
    public static async Task<RehearsalDestination> OpenAsync(string folder, IEnumerable<string> userEmails, CancellationToken cancellationToken, DestinationSchema? standard = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(userEmails);
        Directory.CreateDirectory(folder);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "rehearsal.db"), Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; " + Schema;
            await command.ExecuteNonQueryAsync(cancellationToken);

            // A rehearsal written before records kept their write time gets the column (its records have none).
            command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('records') WHERE name = 'written_at'";
            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                command.CommandText = "ALTER TABLE records ADD COLUMN written_at TEXT";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var destination = new RehearsalDestination(connection, folder, standard ?? StandardModels.Schema, time ?? TimeProvider.System);
        var next = 2;
        foreach (var email in userEmails.Select(e => e.Trim().ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal))
        {
            await destination.ExecuteAsync("INSERT OR IGNORE INTO users (email, id) VALUES ($e, $i)", cancellationToken, ("$e", email), ("$i", next++));
        }

        return destination;
    }

    public Task<DestinationSchema> DescribeAsync(IReadOnlyCollection<string> models, CancellationToken cancellationToken) =>
        LockedAsync(() => DescribeCoreAsync(models, cancellationToken), cancellationToken);

    private async Task<DestinationSchema> DescribeCoreAsync(IReadOnlyCollection<string> models, CancellationToken cancellationToken)
    {
        var custom = await QueryAsync("SELECT model, name, type FROM custom_fields", r => (Model: r.GetString(0), Field: new DestinationField(r.GetString(1), r.GetString(2), false)), cancellationToken);
        var result = new Dictionary<string, IReadOnlyDictionary<string, DestinationField>>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            var fields = _standard.Models.TryGetValue(model, out var standard)
                ? new Dictionary<string, DestinationField>(standard, StringComparer.Ordinal)
                : new Dictionary<string, DestinationField>(StringComparer.Ordinal);
            foreach (var (_, field) in custom.Where(c => c.Model == model))
            {
                fields[field.Name] = field;
            }

            if (fields.Count > 0)
            {
                result[model] = fields;
            }
        }

        return new DestinationSchema(result);
    }

    /// <summary>The users the rehearsal was given; none given means they are not known (null), not that there are none.</summary>
    public Task<IReadOnlyCollection<string>?> ListUserEmailsAsync(CancellationToken cancellationToken) =>
        LockedAsync(async () =>
        {
            var users = await QueryAsync("SELECT email FROM users", r => r.GetString(0), cancellationToken);
            return users.Count == 0 ? null : (IReadOnlyCollection<string>?)users;
        }, cancellationToken);

    public async Task<PrepareOutcome> PrepareAsync(PreparePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var created = new List<string>();
            foreach (var field in plan.CustomFields)
            {
                var added = await ExecuteAsync("INSERT OR IGNORE INTO custom_fields (model, name, type) VALUES ($m, $n, $t)", cancellationToken, ("$m", field.Model), ("$n", field.Name), ("$t", field.Type));
                if (added > 0)
                {
                    created.Add($"{field.Model}.{field.Name}");
                }
            }

            var named = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var lookup in plan.NamedRecords)
            {
                var key = PrepareOutcome.Key(lookup);
                var id = await ScalarAsync("SELECT id FROM named WHERE model = $m AND name = $n", cancellationToken, ("$m", lookup.Model), ("$n", key));
                if (id is null)
                {
                    id = (await ScalarAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM named WHERE model = $m", cancellationToken, ("$m", lookup.Model)))!;
                    await ExecuteAsync("INSERT INTO named (model, name, id) VALUES ($m, $n, $i)", cancellationToken, ("$m", lookup.Model), ("$n", key), ("$i", id));
                }

                named[key] = Convert.ToString(id, CultureInfo.InvariantCulture)!;
            }

            var users = (await QueryAsync("SELECT email, id FROM users", r => (r.GetString(0), r.GetInt64(1).ToString(CultureInfo.InvariantCulture)), cancellationToken))
                .ToDictionary(u => u.Item1, u => new DestinationUser(u.Item2, null), StringComparer.Ordinal);
            return OwnerMatching.Resolve(plan, users, named, created);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<UpsertOutcome>> UpsertAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await WriteSentAsync(model, batch, cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var schema = (await DescribeCoreAsync([model], cancellationToken)).Models.GetValueOrDefault(model);
            var outcomes = new List<UpsertOutcome>(batch.Count);
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            _transaction = transaction;

            // One query per question for the whole call, as a real destination answers a batch: which records exist,
            // which linked records exist, and the next id.
            var existing = await ExistingAsync(model, batch, cancellationToken);
            var present = await LinkedRecordsAsync(schema, batch, cancellationToken);
            var nextId = (long)(await ScalarAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM records WHERE model = $m", cancellationToken, ("$m", model)))!;
            // Like a CRM's write date, to the second: when the record last changed, whoever changed it.
            var writtenAt = WriteTime();
            await using var insert = Command("INSERT INTO records (model, external_id, id, origin, hash, vals, written_at) VALUES ($m, $x, $i, 'migration', $h, $v, $w)", [("$m", model), ("$x", string.Empty), ("$i", 0L), ("$h", string.Empty), ("$v", string.Empty), ("$w", writtenAt)]);
            await using var update = Command("UPDATE records SET vals = $v, hash = $h, written_at = $w WHERE model = $m AND external_id = $x", [("$v", string.Empty), ("$h", string.Empty), ("$m", model), ("$x", string.Empty), ("$w", writtenAt)]);
            foreach (var record in batch)
            {
                var refusal = schema is null && !model.StartsWith("flit_", StringComparison.Ordinal)
                    ? ($"Unknown model '{model}'", false)
                    : Validate(model, schema, record, present);
                if (refusal is { } problem)
                {
                    outcomes.Add(new UpsertOutcome(record.ExternalId, UpsertStatus.Failed, null, problem.Message, problem.MissingParent));
                    continue;
                }

                var vals = JsonSerializer.Serialize(record.Values.ToDictionary(v => v.Key, v => Plain(v.Value)), Json);
                if (existing.TryGetValue(record.ExternalId, out var id))
                {
                    (update.Parameters["$v"].Value, update.Parameters["$h"].Value, update.Parameters["$x"].Value) = (vals, record.ContentHash, record.ExternalId);
                    await update.ExecuteNonQueryAsync(cancellationToken);
                    outcomes.Add(new UpsertOutcome(record.ExternalId, UpsertStatus.Updated, id.ToString(CultureInfo.InvariantCulture)));
                    continue;
                }

                id = nextId++;
                (insert.Parameters["$x"].Value, insert.Parameters["$i"].Value, insert.Parameters["$h"].Value, insert.Parameters["$v"].Value) = (record.ExternalId, id, record.ContentHash, vals);
                await insert.ExecuteNonQueryAsync(cancellationToken);
                existing[record.ExternalId] = id;
                if (present.TryGetValue(model, out var ids))
                {
                    ids.Add(id.ToString(CultureInfo.InvariantCulture));
                }

                outcomes.Add(new UpsertOutcome(record.ExternalId, UpsertStatus.Created, id.ToString(CultureInfo.InvariantCulture)));
            }

            await transaction.CommitAsync(cancellationToken);
            return outcomes;
        }
        finally
        {
            _transaction = null;
            _gate.Release();
        }
    }

    public Task<IReadOnlyList<ReadBackRecord>> ReadBackAsync(string model, IReadOnlyCollection<string> externalIds, IReadOnlyCollection<string> fields, CancellationToken cancellationToken) =>
        LockedAsync(async () => (IReadOnlyList<ReadBackRecord>)[.. (await ReadBackCoreAsync(model, externalIds, fields, cancellationToken)).Select(r => r.Record)], cancellationToken);

    private static readonly IReadOnlyCollection<string> AllValues = ["*"];

    /// <summary>The batch's records the rehearsal already holds under their external id, with their values and when
    /// they last changed.</summary>
    public Task<IReadOnlyDictionary<string, PreImage>> SnapshotAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken) =>
        LockedAsync(async () => (IReadOnlyDictionary<string, PreImage>)(await ReadBackCoreAsync(model, [.. batch.Select(r => r.ExternalId)], AllValues, cancellationToken))
            .ToDictionary(r => r.Record.ExternalId, r => new PreImage(r.Record.Values, ExternalIdExisted: true, r.WrittenAt), StringComparer.Ordinal), cancellationToken);

    /// <summary>Now, to the second, as the rehearsal stores write times (the destination's clock, not the run's).</summary>
    private string WriteTime() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <param name="model">The model.</param>
    /// <param name="externalIds">The records wanted.</param>
    /// <param name="fields">The values wanted: none checks presence only; <see cref="AllValues"/> reads every one.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Each record found, with when it last changed (null for one written before write times were kept).</returns>
    private async Task<List<(ReadBackRecord Record, DateTimeOffset? WrittenAt)>> ReadBackCoreAsync(string model, IReadOnlyCollection<string> externalIds, IReadOnlyCollection<string> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        ArgumentNullException.ThrowIfNull(fields);
        var all = ReferenceEquals(fields, AllValues);
        var result = new List<(ReadBackRecord, DateTimeOffset?)>(externalIds.Count);
        foreach (var chunk in externalIds.Chunk(IdsPerQuery))
        {
            var vals = fields.Count == 0 ? "NULL" : "vals";
            result.AddRange(await QueryAsync($"SELECT external_id, id, {vals}, written_at FROM records WHERE model = $m AND external_id IN (SELECT value FROM json_each($ids))", r =>
            {
                var values = r.IsDBNull(2)
                    ? new Dictionary<string, object?>(StringComparer.Ordinal)
                    : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(r.GetString(2))!
                        .Where(v => all || fields.Contains(v.Key))
                        .ToDictionary(v => v.Key, v => FromJson(v.Value), StringComparer.Ordinal);
                var writtenAt = r.IsDBNull(3) ? (DateTimeOffset?)null : DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                return (new ReadBackRecord(r.GetString(0), r.GetInt64(1).ToString(CultureInfo.InvariantCulture), values), writtenAt);
            }, cancellationToken, ("$m", model), ("$ids", JsonSerializer.Serialize(chunk))));
        }

        return result;
    }

    public Task<RollbackOutcome> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken) =>
        LockedAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(request);
            int deleted = 0, restored = 0;
            foreach (var item in request.Items)
            {
                if (item.Created)
                {
                    deleted += await ExecuteAsync("DELETE FROM records WHERE model = $m AND external_id = $x", cancellationToken, ("$m", item.Model), ("$x", item.ExternalId));
                }
                else
                {
                    restored += await ExecuteAsync("UPDATE records SET vals = $v, written_at = $w WHERE model = $m AND external_id = $x", cancellationToken,
                        ("$v", JsonSerializer.Serialize(item.PreImage?.Values ?? new Dictionary<string, object?>())), ("$w", WriteTime()), ("$m", item.Model), ("$x", item.ExternalId));
                }
            }

            // Nobody edits a rehearsal after the run, so it has no conflicts to report.
            return new RollbackOutcome(deleted, restored, [], []);
        }, cancellationToken);

    /// <summary>Records the rehearsal holds for a model (for inspection and tests).</summary>
    public Task<long> CountAsync(string model, CancellationToken cancellationToken) =>
        LockedAsync(async () => (long)(await ScalarAsync("SELECT COUNT(*) FROM records WHERE model = $m", cancellationToken, ("$m", model)))!, cancellationToken);

    /// <summary>One connection, one caller at a time: SQLite has one writer and commands must join the open transaction.</summary>
    private async Task<T> LockedAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }

    private static (string Message, bool MissingParent)? Validate(string model, IReadOnlyDictionary<string, DestinationField>? fields, DestinationRecord record, Dictionary<string, HashSet<string>> present)
    {
        if (fields is null)
        {
            return null;
        }

        foreach (var (name, value) in record.Values)
        {
            if (!fields.TryGetValue(name, out var field))
            {
                return ($"Invalid field '{name}' on model '{model}'", false);
            }

            if (value is NamedLookup or UserLookup or FileContent)
            {
                return ($"{name}: {value} was not resolved before sending", false);
            }

            if (field.Relation is { } relation && value is not null && !(present.TryGetValue(relation, out var ids) && ids.Contains(Convert.ToString(value, CultureInfo.InvariantCulture)!)))
            {
                return ($"{name}: {relation} record {value} does not exist", true);
            }
        }

        var missing = fields.Values.FirstOrDefault(f => f.Required && (!record.Values.TryGetValue(f.Name, out var v) || v is null or ""));
        return missing is null ? null : ($"The operation cannot be completed: missing required value for {model}.{missing.Name}", false);
    }

    /// <summary>The records of the call that exist already, by external id.</summary>
    private async Task<Dictionary<string, long>> ExistingAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var chunk in batch.Select(r => r.ExternalId).Distinct(StringComparer.Ordinal).Chunk(IdsPerQuery))
        {
            foreach (var (externalId, id) in await QueryAsync("SELECT external_id, id FROM records WHERE model = $m AND external_id IN (SELECT value FROM json_each($ids))",
                r => (r.GetString(0), r.GetInt64(1)), cancellationToken, ("$m", model), ("$ids", JsonSerializer.Serialize(chunk))))
            {
                existing[externalId] = id;
            }
        }

        return existing;
    }

    /// <summary>Of the records the call links to, those that exist (records, named records and users), per model.</summary>
    private async Task<Dictionary<string, HashSet<string>>> LinkedRecordsAsync(IReadOnlyDictionary<string, DestinationField>? fields, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken)
    {
        var present = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (fields is null)
        {
            return present;
        }

        var wanted = batch.SelectMany(r => r.Values)
            .Where(v => v.Value is not null && fields.TryGetValue(v.Key, out var f) && f.Relation is not null)
            .GroupBy(v => fields[v.Key].Relation!, StringComparer.Ordinal);
        foreach (var group in wanted)
        {
            var ids = present[group.Key] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chunk in group.Select(v => Convert.ToString(v.Value, CultureInfo.InvariantCulture)!).Distinct(StringComparer.Ordinal).Chunk(IdsPerQuery))
            {
                // Only whole numbers can be ids: a value that is not one matches nothing, as before.
                const string Wanted = "SELECT CAST(value AS INTEGER) FROM json_each($ids) WHERE CAST(CAST(value AS INTEGER) AS TEXT) = value";
                var sql = group.Key == "res.users"
                    ? $"SELECT id FROM users WHERE id IN ({Wanted})"
                    : $"SELECT id FROM records WHERE model = $m AND id IN ({Wanted}) UNION SELECT id FROM named WHERE model = $m AND id IN ({Wanted})";
                ids.UnionWith(await QueryAsync(sql, r => r.GetInt64(0).ToString(CultureInfo.InvariantCulture), cancellationToken, ("$m", group.Key), ("$ids", JsonSerializer.Serialize(chunk))));
            }
        }

        return present;
    }

    private async Task WriteSentAsync(string model, IReadOnlyList<DestinationRecord> batch, CancellationToken cancellationToken)
    {
        // Named by content so a repeated call (resume) rewrites the same file instead of adding one.
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', batch.Select(r => r.ExternalId)))))[..16];
        var folder = Path.Combine(_sentFolder, model);
        Directory.CreateDirectory(folder);
        var payload = new { model, records = batch.Select(r => new { r.ExternalId, r.SourceObject, r.SourceId, values = r.Values.ToDictionary(v => v.Key, v => Plain(v.Value)), source = r.Location.ToString() }) };
        // Streamed to the file (attachment content included), not built as one string first.
        await using var file = new FileStream(Path.Combine(folder, name + ".json"), FileMode.Create, FileAccess.Write, FileShare.None, 65536, useAsync: true);
        await JsonSerializer.SerializeAsync(file, payload, Json, cancellationToken);
    }

    /// <summary>File content is written as base64 text straight from its bytes.</summary>
    private sealed class FileBytesConverter : System.Text.Json.Serialization.JsonConverter<FileBytes>
    {
        public override FileBytes Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetBytesFromBase64());

        public override void Write(Utf8JsonWriter writer, FileBytes value, JsonSerializerOptions options) => writer.WriteBase64StringValue(value.Bytes);
    }

    private static readonly JsonSerializerOptions Json = new() { Converters = { new FileBytesConverter() } };

    private static object? Plain(object? value) => value switch
    {
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        _ => value,
    };

    private static object? FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var n) ? n : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private SqliteCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
