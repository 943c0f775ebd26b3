using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Flit.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Flit.Storage.Local;

/// <summary>
/// The ID map in a SQLite file: one transaction per batch, looked up many ids per query. Calls are serialised on
/// one connection (SQLite has a single writer anyway), which keeps parallel batches safe.
/// </summary>
public sealed class SqliteIdMap : IIdMap, IAsyncDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS id_map (
            migration_id   TEXT NOT NULL,
            object_type    TEXT NOT NULL,
            source_id      TEXT NOT NULL,
            destination_id TEXT NOT NULL,
            external_id    TEXT NOT NULL,
            operation      TEXT NOT NULL,
            content_hash   TEXT NOT NULL,
            batch_id       TEXT NOT NULL,
            at             TEXT NOT NULL,
            run_id         TEXT NOT NULL DEFAULT '',
            pre_image      TEXT,
            written_digest TEXT,
            source_digest  TEXT,
            PRIMARY KEY (migration_id, object_type, source_id)
        ) WITHOUT ROWID;
        """;

    /// <summary>Columns added after the first release, for ID maps written by it.</summary>
    private static readonly (string Name, string Definition)[] AddedColumns = [("run_id", "TEXT NOT NULL DEFAULT ''"), ("pre_image", "TEXT"), ("written_digest", "TEXT"), ("source_digest", "TEXT")];

    /// <summary>Ids looked up per query.</summary>
    private const int LookupChunk = 2000;

    private static readonly string[] InsertParameters = ["$m", "$o", "$s", "$d", "$x", "$op", "$h", "$b", "$at", "$r", "$p", "$w", "$sd"];

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteIdMap(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteIdMap> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connection = await SqliteDatabase.OpenAsync(path, Schema, cancellationToken);
        await SqliteDatabase.AddMissingColumnsAsync(connection, "id_map", AddedColumns, cancellationToken);
        return new SqliteIdMap(connection);
    }

    public async Task<IReadOnlyDictionary<string, IdMapEntry>> LookupAsync(string migrationId, string objectType, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        var result = new Dictionary<string, IdMapEntry>(sourceIds.Count, StringComparer.Ordinal);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var chunk in sourceIds.Chunk(LookupChunk))
            {
                await using var command = _connection.CreateCommand();
                // The ids travel as one JSON array: binding hundreds of named parameters costs a name search each.
                command.CommandText = $"SELECT {Columns} FROM id_map WHERE migration_id = $m AND object_type = $o AND source_id IN (SELECT value FROM json_each($ids))";
                command.Parameters.AddWithValue("$m", migrationId);
                command.Parameters.AddWithValue("$o", objectType);
                command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(chunk));

                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var entry = Read(reader);
                    result[entry.SourceId] = entry;
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return result;
    }

    public async Task RecordAsync(string migrationId, IReadOnlyList<IdMapEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            await using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO id_map (migration_id, object_type, source_id, destination_id, external_id, operation, content_hash, batch_id, at, run_id, pre_image, written_digest, source_digest)
                VALUES ($m, $o, $s, $d, $x, $op, $h, $b, $at, $r, $p, $w, $sd)
                ON CONFLICT (migration_id, object_type, source_id) DO UPDATE SET
                    destination_id = excluded.destination_id, external_id = excluded.external_id,
                    operation = id_map.operation,
                    content_hash = excluded.content_hash, batch_id = excluded.batch_id, at = excluded.at, run_id = excluded.run_id,
                    pre_image = COALESCE(id_map.pre_image, excluded.pre_image), written_digest = excluded.written_digest, source_digest = excluded.source_digest
                """;
            var parameters = InsertParameters
                .Select(name => command.Parameters.Add(name, SqliteType.Text)).ToArray();
            await command.PrepareAsync(cancellationToken);
            foreach (var e in entries)
            {
                parameters[0].Value = migrationId;
                parameters[1].Value = e.ObjectType;
                parameters[2].Value = e.SourceId;
                parameters[3].Value = e.DestinationId;
                parameters[4].Value = e.ExternalId;
                parameters[5].Value = e.Operation.ToString();
                parameters[6].Value = e.ContentHash;
                parameters[7].Value = e.BatchId;
                parameters[8].Value = e.At.ToString("O", CultureInfo.InvariantCulture);
                parameters[9].Value = e.RunId;
                parameters[10].Value = (object?)e.PreImagePath ?? DBNull.Value;
                parameters[11].Value = (object?)e.WrittenDigest ?? DBNull.Value;
                parameters[12].Value = (object?)e.SourceDigest ?? DBNull.Value;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Digests a page at a time: ten times the page of whole entries, two columns each.</summary>
    public async IAsyncEnumerable<(string SourceId, string? SourceDigest)> ListSourceDigestsAsync(string migrationId, string objectType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            var page = new List<(string SourceId, string? SourceDigest)>(ListPage * 10);
            await _gate.WaitAsync(cancellationToken);
            try
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = $"""
                    SELECT source_id, source_digest FROM id_map
                    WHERE migration_id = $m AND object_type = $o AND source_id > $after
                    ORDER BY source_id LIMIT {ListPage * 10}
                    """;
                command.Parameters.AddWithValue("$m", migrationId);
                command.Parameters.AddWithValue("$o", objectType);
                command.Parameters.AddWithValue("$after", after);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
                }
            }
            finally
            {
                _gate.Release();
            }

            foreach (var item in page)
            {
                yield return item;
            }

            if (page.Count < ListPage * 10)
            {
                yield break;
            }

            after = page[^1].SourceId;
        }
    }

    /// <summary>Entries a page at a time (keyset pagination on the primary key): a slow consumer never holds the
    /// connection, and memory holds one page, however large the migration.</summary>
    public async IAsyncEnumerable<IdMapEntry> ListAsync(string migrationId, string? objectType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (afterObject, afterSource) = (string.Empty, string.Empty);
        while (true)
        {
            var page = new List<IdMapEntry>(ListPage);
            await _gate.WaitAsync(cancellationToken);
            try
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = $"""
                    SELECT {Columns} FROM id_map
                    WHERE migration_id = $m AND ($o IS NULL OR object_type = $o) AND (object_type, source_id) > ($ao, $as)
                    ORDER BY object_type, source_id LIMIT {ListPage}
                    """;
                command.Parameters.AddWithValue("$m", migrationId);
                command.Parameters.AddWithValue("$o", (object?)objectType ?? DBNull.Value);
                command.Parameters.AddWithValue("$ao", afterObject);
                command.Parameters.AddWithValue("$as", afterSource);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add(Read(reader));
                }
            }
            finally
            {
                _gate.Release();
            }

            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < ListPage)
            {
                yield break;
            }

            (afterObject, afterSource) = (page[^1].ObjectType, page[^1].SourceId);
        }
    }

    private const int ListPage = 1000;

    public async Task<long> CountAsync(string migrationId, string? objectType, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM id_map WHERE migration_id = $m AND ($o IS NULL OR object_type = $o)";
            command.Parameters.AddWithValue("$m", migrationId);
            command.Parameters.AddWithValue("$o", (object?)objectType ?? DBNull.Value);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RemoveAsync(string migrationId, IReadOnlyList<(string ObjectType, string SourceId)> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            await using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM id_map WHERE migration_id = $m AND object_type = $o AND source_id = $s";
            var m = command.Parameters.Add("$m", SqliteType.Text);
            var o = command.Parameters.Add("$o", SqliteType.Text);
            var s = command.Parameters.Add("$s", SqliteType.Text);
            foreach (var (objectType, sourceId) in keys)
            {
                (m.Value, o.Value, s.Value) = (migrationId, objectType, sourceId);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
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

    private const string Columns = "object_type, source_id, destination_id, external_id, operation, content_hash, batch_id, at, run_id, pre_image, written_digest, source_digest";

    private static IdMapEntry Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        Enum.Parse<IdMapOperation>(reader.GetString(4)),
        reader.GetString(5),
        reader.GetString(6),
        DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        reader.IsDBNull(11) ? null : reader.GetString(11));
}
