using System.Text.Json;
using Flit.Activities;
using Flit.Core.Workflow;

namespace Flit.Cli.Hosting;

/// <summary>
/// The local runner's folder: one sub-folder per migration holding its staging area (exports, batches, outcomes,
/// reports), its SQLite ID map and journal, and the request it was started with (so <c>flit resume</c> needs only
/// the migration id).
/// </summary>
public sealed class Workspace
{
    public Workspace(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string MigrationFolder(string migrationId)
    {
        // The id becomes a folder name: anything else could leave the workspace ("..", "/").
        if (MigrationIds.Problem(migrationId) is { } problem)
        {
            throw new UserFacingException(problem, ExitCodes.Usage);
        }

        return Path.Combine(Root, "migrations", migrationId);
    }

    public string StagingRoot(string migrationId) => Path.Combine(MigrationFolder(migrationId), "staging");

    public string IdMapPath(string migrationId) => Path.Combine(MigrationFolder(migrationId), "idmap.db");

    public string JournalPath(string migrationId) => Path.Combine(MigrationFolder(migrationId), "journal.db");

    public string DestinationFolder(string migrationId) => Path.Combine(MigrationFolder(migrationId), "destination");

    private string RequestPath(string migrationId) => Path.Combine(MigrationFolder(migrationId), "request.json");

    private string StatusPath(string migrationId) => Path.Combine(MigrationFolder(migrationId), "status.json");

    private string DeltaWindowPath(string migrationId) => Path.Combine(MigrationFolder(migrationId), "delta-window.json");

    private string DeltaWatchPath(string migrationId) => Path.Combine(MigrationFolder(migrationId), "delta-watch.json");

    /// <summary>The migration's delta window, or null when no full run opened one.</summary>
    public Task<DeltaWindow?> LoadDeltaWindowAsync(string migrationId, CancellationToken cancellationToken) =>
        LoadAsync<DeltaWindow>(DeltaWindowPath(migrationId), cancellationToken);

    public Task SaveDeltaWindowAsync(string migrationId, DeltaWindow window, CancellationToken cancellationToken) =>
        SaveAsync(DeltaWindowPath(migrationId), window, cancellationToken);

    /// <summary>The generation the delta window's loop is in, or null when it was never started.</summary>
    public Task<DeltaWatchState?> LoadDeltaWatchAsync(string migrationId, CancellationToken cancellationToken) =>
        LoadAsync<DeltaWatchState>(DeltaWatchPath(migrationId), cancellationToken);

    public Task SaveDeltaWatchAsync(string migrationId, DeltaWatchState state, CancellationToken cancellationToken) =>
        SaveAsync(DeltaWatchPath(migrationId), state, cancellationToken);

    private static async Task<T?> LoadAsync<T>(string path, CancellationToken cancellationToken)
        where T : class =>
        File.Exists(path) ? JsonSerializer.Deserialize<T>(await File.ReadAllTextAsync(path, cancellationToken), JsonDefaults.Options) : null;

    /// <summary>Written whole, then moved into place: a crash never leaves half a window (and its passes) behind.</summary>
    private static async Task SaveAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(value, JsonDefaults.Options), cancellationToken);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public async Task SaveRequestAsync(LocalRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Directory.CreateDirectory(MigrationFolder(request.Migration.MigrationId));
        await File.WriteAllTextAsync(RequestPath(request.Migration.MigrationId), JsonSerializer.Serialize(request, JsonDefaults.Options), cancellationToken);
    }

    /// <summary>The request of the latest attempt, or null when the migration was never run here.</summary>
    public async Task<LocalRunRequest?> TryLoadRequestAsync(string migrationId, CancellationToken cancellationToken) =>
        File.Exists(RequestPath(migrationId)) ? await LoadRequestAsync(migrationId, cancellationToken) : null;

    public async Task<LocalRunRequest> LoadRequestAsync(string migrationId, CancellationToken cancellationToken)
    {
        var path = RequestPath(migrationId);
        if (!File.Exists(path))
        {
            throw new UserFacingException($"No migration '{migrationId}' in {Root}. Start it with `flit run --migration {migrationId} ...` first.");
        }

        return JsonSerializer.Deserialize<LocalRunRequest>(await File.ReadAllTextAsync(path, cancellationToken), JsonDefaults.Options)
            ?? throw new UserFacingException($"{path} is empty; start the migration again with `flit run`.");
    }

    public async Task SaveStatusAsync(string migrationId, MigrationStatus status, CancellationToken cancellationToken) =>
        await File.WriteAllTextAsync(StatusPath(migrationId), JsonSerializer.Serialize(status, JsonDefaults.Options), cancellationToken);

    public async Task<MigrationStatus?> LoadStatusAsync(string migrationId, CancellationToken cancellationToken)
    {
        var path = StatusPath(migrationId);
        return File.Exists(path)
            ? JsonSerializer.Deserialize<MigrationStatus>(await File.ReadAllTextAsync(path, cancellationToken), JsonDefaults.Options)
            : null;
    }
}

/// <summary>A local run: the migration request plus where its destination is.</summary>
/// <param name="Migration">The orchestration input.</param>
/// <param name="Target">Destination: <c>rehearsal</c>.</param>
/// <param name="DestinationUsers">For the rehearsal: the users (e-mails) the destination has.</param>
/// <param name="Attempt">Each <c>flit run</c> of a migration is a new attempt with its own journal; <c>flit resume</c>
/// continues the latest. The ID map is the migration's, so a new attempt never duplicates what an earlier one wrote.</param>
/// <param name="DeltaPass">For a delta pass (<c>flit delta</c>): its number in the migration's window.</param>
public sealed record LocalRunRequest(MigrationRequest Migration, string Target, IReadOnlyList<string> DestinationUsers, int Attempt = 1, int? DeltaPass = null)
{
    public string RunId => $"{Migration.MigrationId}#{Attempt}";
}

/// <summary>An error whose message is written for the person at the terminal: what is wrong and what to do.</summary>
public sealed class UserFacingException(string message, int exitCode = ExitCodes.BadInput) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
