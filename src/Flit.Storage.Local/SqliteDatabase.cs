using Microsoft.Data.Sqlite;

namespace Flit.Storage.Local;

/// <summary>Opens SQLite connections the same way for every local store: WAL, a busy timeout, the schema applied once.</summary>
internal static class SqliteDatabase
{
    public static async Task<SqliteConnection> OpenAsync(string path, string schema, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        await connection.OpenAsync(cancellationToken);
        // WAL lets readers work beside the writer; FULL sync makes a committed batch survive a power cut, which is
        // what "resume redoes nothing that completed" rests on.
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;", cancellationToken);
        await ExecuteAsync(connection, schema, cancellationToken);
        return connection;
    }

    /// <summary>Adds columns a later version introduced to a table an earlier version created.</summary>
    public static async Task AddMissingColumnsAsync(SqliteConnection connection, string table, IReadOnlyList<(string Name, string Definition)> columns, CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add(reader.GetString(0));
            }
        }

        foreach (var (name, definition) in columns.Where(c => !present.Contains(c.Name)))
        {
            await ExecuteAsync(connection, $"ALTER TABLE {table} ADD COLUMN {name} {definition}", cancellationToken);
        }
    }

    public static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
