using System.Globalization;
using System.Runtime.CompilerServices;
using Flit.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Flit.Storage.Local;

/// <summary>The run index in SQLite: one row per (tenant, migration) with its latest state.</summary>
public sealed class SqliteMigrationIndex : IMigrationIndex, IAsyncDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS migrations (
            tenant       TEXT NOT NULL,
            migration_id TEXT NOT NULL,
            pair         TEXT NOT NULL,
            state        TEXT NOT NULL,
            run_id       TEXT,
            updated_at   TEXT NOT NULL,
            PRIMARY KEY (tenant, migration_id)
        ) WITHOUT ROWID;
        """;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteMigrationIndex(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteMigrationIndex> OpenAsync(string path, CancellationToken cancellationToken) =>
        new(await SqliteDatabase.OpenAsync(path, Schema, cancellationToken));

    public async Task RecordAsync(MigrationIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO migrations (tenant, migration_id, pair, state, run_id, updated_at) VALUES ($t, $m, $p, $s, $r, $u)
                ON CONFLICT (tenant, migration_id) DO UPDATE SET pair = excluded.pair, state = excluded.state, run_id = excluded.run_id, updated_at = excluded.updated_at
                """;
            command.Parameters.AddWithValue("$t", entry.Tenant);
            command.Parameters.AddWithValue("$m", entry.MigrationId);
            command.Parameters.AddWithValue("$p", entry.Pair);
            command.Parameters.AddWithValue("$s", entry.State);
            command.Parameters.AddWithValue("$r", (object?)entry.RunId ?? DBNull.Value);
            command.Parameters.AddWithValue("$u", entry.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<MigrationIndexEntry?> GetAsync(string tenant, string migrationId, CancellationToken cancellationToken)
    {
        await foreach (var entry in QueryAsync(tenant, migrationId, cancellationToken))
        {
            return entry;
        }

        return null;
    }

    public IAsyncEnumerable<MigrationIndexEntry> ListAsync(string tenant, CancellationToken cancellationToken) => QueryAsync(tenant, null, cancellationToken);

    private async IAsyncEnumerable<MigrationIndexEntry> QueryAsync(string tenant, string? migrationId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var found = new List<MigrationIndexEntry>();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT migration_id, pair, state, run_id, updated_at FROM migrations WHERE tenant = $t AND ($m IS NULL OR migration_id = $m) ORDER BY migration_id";
            command.Parameters.AddWithValue("$t", tenant);
            command.Parameters.AddWithValue("$m", (object?)migrationId ?? DBNull.Value);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(new MigrationIndexEntry(tenant, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
            }
        }
        finally
        {
            _gate.Release();
        }

        foreach (var entry in found)
        {
            yield return entry;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
