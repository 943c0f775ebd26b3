using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Flit.Cli.Tests;

/// <summary>
/// Kills a running <c>flit run</c> at chosen points of its progress, read live from its journal, so that a test
/// covers the same moments however fast the machine is.
/// </summary>
internal static class KillPoints
{
    /// <summary>The first activity, then a quarter, half and three quarters of a reference run's journal.</summary>
    public static int[] Spread(int total) => [1, total / 4, total / 2, total * 3 / 4];

    /// <summary>Kills the run as soon as its journal holds <paramref name="reached"/> activities; false if it ended first.</summary>
    public static async Task<bool> KillWhenJournalReachesAsync(Process process, string journal, int reached)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        // Nobody reads a killed run's output, but an unread pipe that fills up would stall the run.
        var drained = Task.WhenAll(
            process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, timeout.Token),
            process.StandardError.BaseStream.CopyToAsync(Stream.Null, timeout.Token));
        var killed = false;
        while (!process.HasExited)
        {
            if (File.Exists(journal) && await CountAsync(journal) >= reached)
            {
                process.Kill(entireProcessTree: true);
                killed = true;
                break;
            }

            await Task.Delay(5, timeout.Token);
        }

        await process.WaitForExitAsync(timeout.Token);
        await drained;
        return killed;
    }

    /// <summary>Activities the journal holds.</summary>
    public static async Task<int> CountAsync(string journal)
    {
        try
        {
            await using var connection = new SqliteConnection($"Data Source={journal};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM journal";
            return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            // SQLITE_ERROR "no such table": the run is creating its journal at this moment, nothing journaled yet.
            return 0;
        }
    }
}
