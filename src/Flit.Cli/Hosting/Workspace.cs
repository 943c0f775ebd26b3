using System.Text.Json;
using Flit.Activities;
using Flit.Core.Ports;
using Flit.Core.Workflow;

namespace Flit.Cli.Hosting;

/// <summary>
/// The local runner's folder and the stores behind it. The folder holds what stays on this machine (the rehearsal
/// destination, temporary files); the stores (<see cref="MigrationStores"/>: the folder itself by default, or Azure
/// Storage) hold each migration's staging area, ID map, journal and its state documents: the request it was started
/// with (so <c>flit resume</c> needs only the migration id), its status, and its delta window.
/// </summary>
public sealed class Workspace
{
    private const string RequestDocument = "request";
    private const string StatusDocument = "status";
    private const string DeltaWindowDocument = "delta-window";
    private const string DeltaWatchDocument = "delta-watch";

    public Workspace(string root, Func<Workspace, MigrationStores>? stores = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        Stores = stores?.Invoke(this) ?? MigrationStores.Local(this);
    }

    public string Root { get; }

    public MigrationStores Stores { get; }

    /// <summary>Where the stores are, for messages: the folder, or the Azure account.</summary>
    public string Describe => Stores.Description;

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

    /// <summary>The migration's delta window, or null when no full run opened one.</summary>
    public Task<DeltaWindow?> LoadDeltaWindowAsync(string migrationId, CancellationToken cancellationToken) =>
        LoadAsync<DeltaWindow>(migrationId, DeltaWindowDocument, cancellationToken);

    public Task SaveDeltaWindowAsync(string migrationId, DeltaWindow window, CancellationToken cancellationToken) =>
        SaveAsync(migrationId, DeltaWindowDocument, window, cancellationToken);

    /// <summary>The generation the delta window's loop is in, or null when it was never started.</summary>
    public Task<DeltaWatchState?> LoadDeltaWatchAsync(string migrationId, CancellationToken cancellationToken) =>
        LoadAsync<DeltaWatchState>(migrationId, DeltaWatchDocument, cancellationToken);

    public Task SaveDeltaWatchAsync(string migrationId, DeltaWatchState state, CancellationToken cancellationToken) =>
        SaveAsync(migrationId, DeltaWatchDocument, state, cancellationToken);

    public Task SaveRequestAsync(LocalRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SaveAsync(request.Migration.MigrationId, RequestDocument, request, cancellationToken);
    }

    /// <summary>The request of the latest attempt, or null when the migration was never run here.</summary>
    public Task<LocalRunRequest?> TryLoadRequestAsync(string migrationId, CancellationToken cancellationToken) =>
        LoadAsync<LocalRunRequest>(migrationId, RequestDocument, cancellationToken);

    public async Task<LocalRunRequest> LoadRequestAsync(string migrationId, CancellationToken cancellationToken) =>
        await TryLoadRequestAsync(migrationId, cancellationToken)
            ?? throw new UserFacingException($"No migration '{migrationId}' in {Describe}. Start it with `flit run --migration {migrationId} ...` first.");

    public Task SaveStatusAsync(string migrationId, MigrationStatus status, CancellationToken cancellationToken) =>
        SaveAsync(migrationId, StatusDocument, status, cancellationToken);

    public Task<MigrationStatus?> LoadStatusAsync(string migrationId, CancellationToken cancellationToken) =>
        LoadAsync<MigrationStatus>(migrationId, StatusDocument, cancellationToken);

    /// <summary>Records where the migration is in the run index (what <c>flit list</c> shows per tenant).</summary>
    public async Task RecordStateAsync(MigrationRequest request, string state, string? runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = await Stores.OpenIndexAsync(cancellationToken);
        try
        {
            await index.RecordAsync(new MigrationIndexEntry(request.Tenant, request.MigrationId, request.Pair, state, runId, TimeProvider.System.GetUtcNow()), cancellationToken);
        }
        finally
        {
            if (index is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    /// <summary>The tenant's migrations as the run index has them.</summary>
    public async Task<IReadOnlyList<MigrationIndexEntry>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        var index = await Stores.OpenIndexAsync(cancellationToken);
        try
        {
            var entries = new List<MigrationIndexEntry>();
            await foreach (var entry in index.ListAsync(tenant, cancellationToken))
            {
                entries.Add(entry);
            }

            return entries;
        }
        finally
        {
            if (index is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    private async Task<T?> LoadAsync<T>(string migrationId, string document, CancellationToken cancellationToken)
        where T : class
    {
        var json = await Stores.State.ReadAsync(Checked(migrationId), document, cancellationToken);
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonDefaults.Options)
                ?? throw new UserFacingException($"The {document} of migration {migrationId} in {Describe} is empty; start the migration again with `flit run`.");
        }
        catch (JsonException e)
        {
            throw new UserFacingException($"The {document} of migration {migrationId} in {Describe} is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}): {e.Message}");
        }
    }

    /// <summary>Replaced whole: a crash never leaves half a window (and its passes) behind.</summary>
    private Task SaveAsync<T>(string migrationId, string document, T value, CancellationToken cancellationToken) =>
        Stores.State.WriteAsync(Checked(migrationId), document, JsonSerializer.Serialize(value, JsonDefaults.Options), cancellationToken);

    private string Checked(string migrationId)
    {
        _ = MigrationFolder(migrationId);
        return migrationId;
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
