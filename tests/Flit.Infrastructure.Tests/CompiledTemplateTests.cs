using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flit.Infrastructure.Tests;

/// <summary>The ARM JSON bicep compiles from infra/ keeps the infrastructure's promises (identity-based storage, no
/// shared keys, Flex Consumption on .NET 10, Entra-only telemetry, secrets through Key Vault references, the drop
/// trigger's Event Grid subscription).</summary>
public sealed class CompiledTemplateTests
{
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Text(JsonNode node) => node.ToJsonString(Unescaped);

    private static async Task<JsonObject> CompileAsync(string template)
    {
        var result = await Tools.BicepAsync("build", Tools.InRepository("infra", template), "--stdout");
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonNode.Parse(result.Output)!.AsObject();
    }

    // languageVersion 2.0 templates (user-defined types) hold resources by symbolic name, 1.0 templates in an array.
    private static IEnumerable<JsonObject> Resources(JsonObject template) =>
        template["resources"] switch
        {
            JsonArray array => array.Select(r => r!.AsObject()),
            JsonObject byName => byName.Select(p => p.Value!.AsObject()),
            _ => throw new InvalidOperationException("A template without resources."),
        };

    private static JsonObject Single(JsonObject template, string type) =>
        Assert.Single(Resources(template), r => (string?)r["type"] == type);

    private static async Task<string> AppSettingsAsync()
    {
        var app = Single(await CompileAsync("main.bicep"), "Microsoft.Web/sites");
        return Text(app["properties"]!["siteConfig"]!["appSettings"]!);
    }

    private static string Setting(string name, string value) => $"'name', '{name}', 'value', {value}";

    [Fact]
    public async Task Storage_SharedKeysAndPublicBlobsOff_Tls12()
    {
        var storage = Single(await CompileAsync("main.bicep"), "Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False((bool)storage["allowSharedKeyAccess"]!);
        Assert.False((bool)storage["allowBlobPublicAccess"]!);
        Assert.Equal("TLS1_2", (string?)storage["minimumTlsVersion"]);
    }

    [Fact]
    public async Task Storage_HasTheContainersTheAppUses()
    {
        var template = await CompileAsync("main.bicep");
        var names = Text(Single(template, "Microsoft.Storage/storageAccounts/blobServices/containers"));

        Assert.Contains("variables('deploymentContainerName')", names, StringComparison.Ordinal);
        Assert.Equal("app-package", (string?)template["variables"]!["deploymentContainerName"]);
        foreach (var expected in new[] { "drop", "quarantine", "flit-staging" })
        {
            Assert.Contains($"'{expected}'", names, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Plan_IsFlexConsumptionOnLinux()
    {
        var plan = Single(await CompileAsync("main.bicep"), "Microsoft.Web/serverfarms");

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)plan["properties"]!["reserved"]!);
    }

    [Fact]
    public async Task App_FlexConfig_DotnetIsolated10_AlwaysReadyDurable_DeploymentByIdentity()
    {
        var app = Single(await CompileAsync("main.bicep"), "Microsoft.Web/sites");
        var config = app["properties"]!["functionAppConfig"]!;

        Assert.Equal("functionapp,linux", (string?)app["kind"]);
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
        Assert.Equal(2048, (int)config["scaleAndConcurrency"]!["instanceMemoryMB"]!);
        Assert.Equal("[parameters('maximumInstanceCount')]", (string?)config["scaleAndConcurrency"]!["maximumInstanceCount"]);
        var ready = Assert.Single(config["scaleAndConcurrency"]!["alwaysReady"]!.AsArray());
        Assert.Equal("durable", (string?)ready!["name"]);
        Assert.Equal(1, (int)ready["instanceCount"]!);
        Assert.Equal("UserAssigned", (string?)app["identity"]!["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]!["storage"]!["authentication"]!["type"]);
    }

    [Fact]
    public async Task AppSettings_StorageByIdentity_NoConnectionString()
    {
        var settings = await AppSettingsAsync();

        Assert.Contains(Setting("AzureWebJobsStorage__accountName", "variables('storageName')"), settings, StringComparison.Ordinal);
        Assert.Contains(Setting("AzureWebJobsStorage__credential", "'managedidentity'"), settings, StringComparison.Ordinal);
        Assert.Contains(Setting("AzureWebJobsStorage__clientId", "reference('identity').clientId"), settings, StringComparison.Ordinal);
        Assert.Contains(Setting("Flit__Storage__AccountUrl", "reference('storage').primaryEndpoints.blob"), settings, StringComparison.Ordinal);
        Assert.Contains(Setting("Flit__Storage__ClientId", "reference('identity').clientId"), settings, StringComparison.Ordinal);
        Assert.DoesNotContain("'AzureWebJobsStorage'", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", settings, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey", settings, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AppSettings_TelemetryByEntraId_TenantsAndConnections()
    {
        var settings = await AppSettingsAsync();

        Assert.Contains(Setting("APPLICATIONINSIGHTS_CONNECTION_STRING", "reference('insights').ConnectionString"), settings, StringComparison.Ordinal);
        Assert.Contains(Setting("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "format('Authorization=AAD;ClientId={0}', reference('identity').clientId)"), settings, StringComparison.Ordinal);
        Assert.Contains(Setting("Flit__Tenants", "join(parameters('tenants'), ',')"), settings, StringComparison.Ordinal);
        Assert.Contains("'Flit__Connections__{0}__Target'", settings, StringComparison.Ordinal);
        Assert.Contains("format('Flit__Connections__{0}__ApiKey', lambdaVariables('c').name), 'value', format('@Microsoft.KeyVault(SecretUri={0}secrets/{1}/)', reference('vault').vaultUri, lambdaVariables('c').secretName)", settings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insights_WorkspaceBased_LocalAuthDisabled()
    {
        var insights = Single(await CompileAsync("main.bicep"), "Microsoft.Insights/components")["properties"]!;

        Assert.True((bool)insights["DisableLocalAuth"]!);
        Assert.Equal("[resourceId('Microsoft.OperationalInsights/workspaces', format('{0}-log', parameters('name')))]", (string?)insights["WorkspaceResourceId"]);
    }

    [Fact]
    public async Task Vault_RbacSoftDelete_PurgeProtectionFromParameter()
    {
        var vault = Single(await CompileAsync("main.bicep"), "Microsoft.KeyVault/vaults")["properties"]!;

        Assert.True((bool)vault["enableRbacAuthorization"]!);
        Assert.True((bool)vault["enableSoftDelete"]!);
        Assert.Contains("parameters('enablePurgeProtection')", (string?)vault["enablePurgeProtection"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoleAssignments_GrantTheIdentityItsFiveRoles()
    {
        var template = Text(await CompileAsync("main.bicep"));

        foreach (var role in new[]
        {
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
            "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
            "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
        })
        {
            Assert.Contains(role, template, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("env/dev.bicepparam")]
    [InlineData("env/prod.bicepparam")]
    public async Task Parameters_SecretsOnlyByName_NoLiteral(string parameters)
    {
        var result = await Tools.BicepAsync("build-params", Tools.InRepository("infra", parameters), "--stdout");
        Assert.True(result.ExitCode == 0, result.Error);
        var parametersJson = JsonNode.Parse(result.Output)!["parametersJson"]!.GetValue<string>();
        var values = JsonNode.Parse(parametersJson)!["parameters"]!;

        var connection = Assert.Single(values["connections"]!["value"]!.AsArray())!.AsObject();
        Assert.Equal(["name", "secretName", "target"], connection.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.StartsWith("odoo://", (string?)connection["target"], StringComparison.Ordinal);
        Assert.DoesNotContain("apiKey", parametersJson, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("password", parametersJson, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EventGrid_BlobCreatedInDrop_ToTheDropFunctionsBlobsWebhook()
    {
        var template = await CompileAsync("eventgrid.bicep");
        var topic = Single(template, "Microsoft.EventGrid/systemTopics")["properties"]!;
        var subscription = Single(template, "Microsoft.EventGrid/systemTopics/eventSubscriptions")["properties"]!;

        Assert.Equal("Microsoft.Storage.StorageAccounts", (string?)topic["topicType"]);
        Assert.Equal(["Microsoft.Storage.BlobCreated"], subscription["filter"]!["includedEventTypes"]!.AsArray().Select(e => (string?)e));
        Assert.Equal("/blobServices/default/containers/drop/", (string?)subscription["filter"]!["subjectBeginsWith"]);
        Assert.Equal("WebHook", (string?)subscription["destination"]!["endpointType"]);
        var endpoint = (string?)subscription["destination"]!["properties"]!["endpointUrl"];
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.DropBlobUploaded&code={1}", endpoint, StringComparison.Ordinal);
        Assert.Contains("listKeys(format('{0}/host/default'", endpoint, StringComparison.Ordinal);
        Assert.Contains(".systemKeys.blobs_extension", endpoint, StringComparison.Ordinal);
    }
}
