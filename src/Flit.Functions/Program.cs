using Flit.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// The worker's own logs (the engine's events with their migration scope, which become custom dimensions) go to
// Application Insights; its SDK otherwise keeps Warning and up only.
builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
{
    var warningsOnly = options.Rules.FirstOrDefault(rule => rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
    if (warningsOnly is not null)
    {
        options.Rules.Remove(warningsOnly);
    }
});

builder.Services.AddFlitFunctions(builder.Configuration);
builder.Build().Run();
