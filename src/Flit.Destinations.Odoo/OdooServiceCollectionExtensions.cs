using Flit.Core.Destinations;
using Flit.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Flit.Destinations.Odoo;

/// <summary>Registers the Odoo destination with a host: its factory opens <c>odoo://</c> targets.</summary>
public static class OdooServiceCollectionExtensions
{
    public static IServiceCollection AddOdooDestination(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => new OdooDestinationFactory(provider.GetService<ILoggerFactory>(), provider.GetService<FlitMetrics>()));
        services.AddSingleton<IDestinationFactory>(provider => provider.GetRequiredService<OdooDestinationFactory>());
        return services;
    }
}
