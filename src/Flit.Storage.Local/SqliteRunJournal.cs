using System.Globalization;
using Flit.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Flit.Storage.Local;

/// <summary>
/// The local runner's journal of completed activities in SQLite: append-only, one row per (run, sequence), each
/// append committed with a full sync before the workflow moves on.
/// </summary>
public sealed class SqliteRunJournal : IRunJournal, IAsyncDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS journal (
            run_id       TEXT NOT NULL,
            sequence     INTEGER NOT NULL,
            activity     TEXT NOT NULL,
            input_hash   TEXT NOT NULL,
            output_json  TEXT NOT NULL,
            completed_at TEXT NOT NULL,
            PRIMARY KEY (run_id, sequence)
        ) WITHOUT ROWID;
        """;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteRunJournal(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteRunJournal> OpenAsync(string path, CancellationToken cancellationToken) =>
        new(await SqliteDatabase.OpenAsync(path, Schema, cancellationToken));

    public async Task<IReadOnlyDictionary<int, JournalEntry>> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<int, JournalEntry>();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT sequence, activity, input_hash, output_json, completed_at FROM journal WHERE run_id = $r ORDER BY sequence";
            command.Parameters.AddWithValue("$r", runId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var sequence = reader.GetInt32(0);
                entries[sequence] = new JournalEntry(runId, sequence, reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
            }
        }
        finally
        {
            _gate.Release();
        }

        return entries;
    }

    public async Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO journal (run_id, sequence, activity, input_hash, output_json, completed_at) VALUES ($r, $s, $a, $i, $o, $t)";
            command.Parameters.AddWithValue("$r", entry.RunId);
            command.Parameters.AddWithValue("$s", entry.Sequence);
            command.Parameters.AddWithValue("$a", entry.Activity);
            command.Parameters.AddWithValue("$i", entry.InputHash);
            command.Parameters.AddWithValue("$o", entry.OutputJson);
            command.Parameters.AddWithValue("$t", entry.CompletedAt.ToString("O", CultureInfo.InvariantCulture));
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                throw new InvalidOperationException($"Run {entry.RunId} already has journal entry {entry.Sequence}: the workflow scheduled the same step twice.", e);
            }
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
}
