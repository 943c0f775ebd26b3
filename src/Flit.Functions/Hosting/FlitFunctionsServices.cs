using Azure.Identity;
using Flit.Activities.Registry;
using Flit.Core.Telemetry;
using Flit.Destinations.Odoo;
using Flit.Storage.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flit.Functions.Hosting;

/// <summary>The app's services, for the Functions host and for the tests that run its functions without one.</summary>
public static class FlitFunctionsServices
{
    public static IServiceCollection AddFlitFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FlitOptions>().Bind(configuration.GetSection(FlitOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(FlitMetrics.Shared);
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<FlitOptions>>().Value.Storage;
            return new AzureMigrationStores(new AzureStorageOptions
            {
                ConnectionString = storage.ConnectionString,
                AccountUrl = storage.AccountUrl,
                Credential = storage.AccountUrl is null ? null : new ManagedIdentityCredential(storage.ClientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(storage.ClientId)),
                StagingContainer = storage.StagingContainer,
                Loggers = provider.GetRequiredService<ILoggerFactory>(),
            });
        });
        services.AddSingleton(provider => new ActivityRegistry(provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<FlitMetrics>()));
        services.AddSingleton<MigrationResourceCache>();
        services.AddSingleton<Activities.MigrationActivityFunctions>();

        // Each destination project registers its factory; the app names none of them beyond this line.
        services.AddOdooDestination();
        return services;
    }
}
