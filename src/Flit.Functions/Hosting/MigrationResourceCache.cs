using System.Collections.Concurrent;
using System.Text.Json;
using Flit.Activities.Registry;
using Flit.Core.Destinations;
using Flit.Core.Workflow.Local;
using Flit.Storage.Azure;
using Microsoft.Extensions.Options;

namespace Flit.Functions.Hosting;

/// <summary>
/// Each migration's resources on this instance, opened once (the destination connects and checks its version once,
/// not per batch): its staging area and ID map in the app's storage account, its destination through the factories
/// from the connection its registration names.
/// </summary>
public sealed class MigrationResourceCache(AzureMigrationStores stores, IEnumerable<IDestinationFactory> destinations, IOptions<FlitOptions> options) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<MigrationResources>>> _open = new(StringComparer.Ordinal);

    public async Task<MigrationResources> GetAsync(string migrationId, CancellationToken cancellationToken)
    {
        var open = _open.GetOrAdd(migrationId, id => new Lazy<Task<MigrationResources>>(() => OpenAsync(id, CancellationToken.None)));
        try
        {
            return await open.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (open.Value.IsFaulted)
        {
            // A failed open (the destination unreachable) is not kept: the activity's retry opens again.
            _open.TryRemove(new KeyValuePair<string, Lazy<Task<MigrationResources>>>(migrationId, open));
            throw;
        }
    }

    /// <summary>The migration's registration, or null for an unknown migration.</summary>
    public async Task<MigrationRegistration?> RegistrationAsync(string migrationId, CancellationToken cancellationToken) =>
        await stores.State.ReadAsync(migrationId, MigrationRegistration.Document, cancellationToken) is { } json
            ? JsonSerializer.Deserialize<MigrationRegistration>(json, WorkflowJson.Options)
            : null;

    private async Task<MigrationResources> OpenAsync(string migrationId, CancellationToken cancellationToken)
    {
        var registration = await RegistrationAsync(migrationId, cancellationToken)
            ?? throw new InvalidOperationException($"Migration {migrationId} is not registered.");
        var connection = options.Value.Connections.GetValueOrDefault(registration.Connection)
            ?? throw new DestinationTargetException($"Migration {migrationId} names the destination connection '{registration.Connection}', which the app's settings do not have (Flit__Connections__{registration.Connection}__Target).");
        var target = new DestinationTarget(connection.Target, migrationId, [], connection.Secret);
        var destination = await DestinationFactories.OpenAsync(destinations, target, cancellationToken);
        return new MigrationResources(registration.Request.Pair, stores.Staging(migrationId), stores.OpenIdMap(), stores.Approvals, destination);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var open in _open.Values.Where(o => o.IsValueCreated && o.Value.IsCompletedSuccessfully))
        {
            await (await open.Value).DisposeAsync();
        }
    }
}
