using Flit.Activities.Registry;
using Flit.Core.Workflow;
using Flit.Functions.Activities;
using Flit.Functions.Hosting;
using Flit.Functions.Orchestration;
using Flit.Samples;
using Flit.Sandbox.Odoo;
using Flit.Storage.Azure;
using Flit.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flit.Functions.Tests;

/// <summary>
/// The app without the Functions host: its services (<see cref="FlitFunctionsServices"/>) over a real Azurite, a
/// real Odoo sandbox as the destination connection <c>odoo-test</c>, and the real Durable Task engine in-process
/// running the app's own orchestrator functions and activity functions.
/// </summary>
public sealed class DurableHostFixture : IAsyncLifetime
{
    public const string Connection = "odoo-test";

    private readonly string _root = Directory.CreateTempSubdirectory("flit-functions-").FullName;

    public AzuriteServer Azurite { get; private set; } = null!;

    public OdooSandbox Odoo { get; private set; } = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public DurableTaskTestHost Host { get; private set; } = null!;

    public DurableTaskClient Client => Host.Client;

    public AzureMigrationStores Stores => Services.GetRequiredService<AzureMigrationStores>();

    /// <summary>The generated Oncourse export the tests upload (files by their path in the export).</summary>
    public IReadOnlyDictionary<string, byte[]> Export { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync();
        var exports = Path.Combine(_root, "exports");
        var manifest = SampleGenerator.Generate("oncourse", exports, 60, 11, SampleOptions.Clean with { WriteAttachments = true, LargeAttachmentBytes = 2048 });
        Export = Directory.EnumerateFiles(exports, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(exports, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);
        Odoo = await OdooSandbox.StartAsync(new OdooSandboxOptions { Users = SandboxUser.AdminAnd(manifest.DestinationUsers) }, CancellationToken.None);

        var settings = new Dictionary<string, string?>
        {
            ["Flit:Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Flit:Tenants"] = "acme,globex",
            [$"Flit:Connections:{Connection}:Target"] = $"odoo://admin@127.0.0.1:{Odoo.BaseAddress.Port}/sandbox",
            [$"Flit:Connections:{Connection}:Password"] = "admin",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        Services = services.AddFlitFunctions(configuration).BuildServiceProvider();

        var activities = Services.GetRequiredService<MigrationActivityFunctions>();
        Host = await DurableTaskTestHost.StartAsync(registry => Register(registry, activities), new DurableTaskTestHostOptions());
    }

    /// <summary>The app's orchestrator functions, and each registry activity through the app's activity functions.</summary>
    public static void Register(DurableTaskRegistry registry, MigrationActivityFunctions activities)
    {
        registry.AddOrchestratorFunc<MigrationRequest, MigrationOutcome>(MigrationWorkflow.Name, (context, _) => MigrationOrchestrators.RunMigration(context));
        registry.AddOrchestratorFunc<PhaseInput, int>(LoadPhaseWorkflow.Name, (context, _) => MigrationOrchestrators.RunLoadPhase(context));
        registry.AddOrchestratorFunc<DeltaWindowInput, DeltaGeneration>(DeltaWorkflow.Name, (context, _) => MigrationOrchestrators.RunDeltaWindow(context));
        registry.AddOrchestratorFunc<RollbackInput, Flit.Activities.Reporting.RollbackReport>(RollbackOrchestrator.Name, (context, _) => RollbackOrchestrator.RunAsync(context));
        registry.AddActivityFunc<RollbackInput, Flit.Activities.Reporting.RollbackReport>(RollbackOrchestrator.Activity, (_, input) => activities.RollbackAsync(input, CancellationToken.None));
        foreach (var name in ActivityRegistry.Names)
        {
            registry.AddActivityFunc<ActivityInput, object>(name, (_, input) => activities.RunAsync(name, input, CancellationToken.None));
        }
    }

    /// <summary>Puts the export where a migration's run stages it from (what the blob drop does for a client's upload).</summary>
    public async Task UploadAsync(string migrationId, string prefix = "drop")
    {
        var staging = Stores.Staging(migrationId);
        foreach (var (path, content) in Export)
        {
            await using var write = await staging.OpenWriteAsync($"{prefix}/{path}", CancellationToken.None);
            await write.WriteAsync(content);
            await write.CommitAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Services.DisposeAsync();
        await Odoo.DisposeAsync();
        await Azurite.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
