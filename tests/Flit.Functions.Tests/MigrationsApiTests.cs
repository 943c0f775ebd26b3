using System.Text;
using System.Text.Json;
using Flit.Core.Workflow;
using Flit.Functions.Hosting;
using Flit.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flit.Functions.Tests;

/// <summary>
/// The HTTP functions called as the host calls them: a real ASP.NET Core request, the test host's real
/// <see cref="DurableTaskClient"/>, the app's stores on Azurite, the orchestration running on the in-process engine.
/// </summary>
public sealed class MigrationsApiTests(DurableHostFixture host) : IClassFixture<DurableHostFixture>
{
    [Fact]
    public async Task StartApproveAndReport_OverHttp_RunTheMigrationToTheDestination()
    {
        const string id = "api-approve";
        await host.UploadAsync(id);
        var api = Api();

        var started = await SendAsync(r => api.StartAsync(r, host.Client, default), "POST", "/api/migrations",
            new { tenant = "acme", pair = "oncourse-odoo", connection = DurableHostFixture.Connection, mode = "sample", migrationId = id, options = new { batchSize = 25 } });
        Assert.Equal(202, started.Status);
        Assert.Equal($"http://flit.test/api/migrations/{id}", started.Headers.Location.ToString());
        Assert.Equal(id, started.Json.GetProperty("instanceId").GetString());

        var again = await SendAsync(r => api.StartAsync(r, host.Client, default), "POST", "/api/migrations",
            new { tenant = "acme", pair = "oncourse-odoo", connection = DurableHostFixture.Connection, mode = "sample", migrationId = id });
        Assert.Equal(409, again.Status);

        var specHash = await WaitForApprovalAsync(api, id);
        var stale = await SendAsync(r => api.ApproveAsync(r, host.Client, id, default), "POST", $"/api/migrations/{id}/approve", new { specHash = "0000stale" });
        Assert.Equal(409, stale.Status);
        Assert.Contains(specHash, stale.Json.GetProperty("error").GetString(), StringComparison.Ordinal);

        var approved = await SendAsync(r => api.ApproveAsync(r, host.Client, id, default), "POST", $"/api/migrations/{id}/approve", new { specHash });
        Assert.Equal(202, approved.Status);
        var repeated = await SendAsync(r => api.ApproveAsync(r, host.Client, id, default), "POST", $"/api/migrations/{id}/approve", new { specHash });
        Assert.Equal(409, repeated.Status);

        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await host.Client.WaitForInstanceCompletionAsync(id, timeout.Token);
        }

        var status = await SendAsync(r => api.GetAsync(r, host.Client, id, default), "GET", $"/api/migrations/{id}");
        Assert.Equal("Completed", status.Json.GetProperty("runtimeStatus").GetString());
        Assert.Equal("completed", status.Json.GetProperty("outcome").GetProperty("status").GetString());
        Assert.True(host.Odoo.RecordsWritten > 0);
        Assert.DoesNotContain("admin\"", status.Body, StringComparison.Ordinal);

        var html = await SendAsync(r => api.ReportAsync(r, id, default), "GET", $"/api/migrations/{id}/report", query: "?format=html");
        Assert.Equal(200, html.Status);
        Assert.Contains("default-src 'none'", html.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", html.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        var csv = await SendAsync(r => api.ReportAsync(r, id, default), "GET", $"/api/migrations/{id}/report", query: "?format=csv");
        Assert.Equal(200, csv.Status);
        var rollback = await SendAsync(r => api.RollbackAsync(r, host.Client, id, default), "POST", $"/api/migrations/{id}/rollback", new { });
        Assert.Equal(202, rollback.Status);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            var undone = await host.Client.WaitForInstanceCompletionAsync(rollback.Json.GetProperty("rollbackInstanceId").GetString()!, getInputsAndOutputs: true, timeout.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, undone.RuntimeStatus);
            var report = undone.ReadOutputAs<Flit.Activities.Reporting.RollbackReport>()!;
            Assert.True(report.Deleted > 0, $"{report.Deleted} deleted");
            Assert.Empty(report.Failures);
        }

        var listed = await SendAsync(r => api.ListAsync(r, host.Client, default), "GET", "/api/migrations", query: "?tenant=acme");
        Assert.Contains(listed.Json.GetProperty("migrations").EnumerateArray(), m => m.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Start_WithWhatIsWrong_Is400NamingEachProblem()
    {
        var api = Api();
        var bad = await SendAsync(r => api.StartAsync(r, host.Client, default), "POST", "/api/migrations",
            new { tenant = "initech", pair = "salesforce-odoo", connection = "prod", mode = "all" });
        Assert.Equal(400, bad.Status);
        var error = bad.Json.GetProperty("error").GetString()!;
        Assert.Contains("tenant 'initech'", error, StringComparison.Ordinal);
        Assert.Contains("pair 'salesforce-odoo' is unknown", error, StringComparison.Ordinal);
        Assert.Contains("connection 'prod' is not configured", error, StringComparison.Ordinal);
        Assert.Contains("mode 'all' is unknown", error, StringComparison.Ordinal);

        var notJson = await SendAsync(r => api.StartAsync(r, host.Client, default), "POST", "/api/migrations", "{ tenant: ");
        Assert.Equal(400, notJson.Status);
        var unknown = await SendAsync(r => api.GetAsync(r, host.Client, "no-such-run", default), "GET", "/api/migrations/no-such-run");
        Assert.Equal(404, unknown.Status);
    }

    [Fact]
    public async Task CallerBoundToATenant_NeverSeesAnothersMigration_AndApprovingNeedsTheRole()
    {
        const string id = "api-isolated";
        await host.UploadAsync(id);
        var api = Api(o => o.ApproverRole = "Flit.Approver");
        var started = await SendAsync(r => api.StartAsync(r, host.Client, default), "POST", "/api/migrations",
            new { tenant = "acme", pair = "oncourse-odoo", connection = DurableHostFixture.Connection, mode = "sample", migrationId = id, options = new { approvalTimeoutHours = 0.01 } },
            principal: Principal("ops@acme.example", "acme"));
        Assert.Equal(202, started.Status);

        var globex = Principal("eve@globex.example", "globex", "Flit.Approver");
        Assert.Equal(404, (await SendAsync(r => api.GetAsync(r, host.Client, id, default), "GET", $"/api/migrations/{id}", principal: globex)).Status);
        Assert.Equal(404, (await SendAsync(r => api.ApproveAsync(r, host.Client, id, default), "POST", $"/api/migrations/{id}/approve", new { specHash = "x" }, principal: globex)).Status);
        Assert.Equal(403, (await SendAsync(r => api.ListAsync(r, host.Client, default), "GET", "/api/migrations", query: "?tenant=acme", principal: globex)).Status);
        var theirs = await SendAsync(r => api.ListAsync(r, host.Client, default), "GET", "/api/migrations", principal: globex);
        Assert.DoesNotContain(theirs.Json.GetProperty("migrations").EnumerateArray(), m => m.GetProperty("id").GetString() == id);
        var startForOther = await SendAsync(r => api.StartAsync(r, host.Client, default), "POST", "/api/migrations",
            new { tenant = "acme", pair = "oncourse-odoo", connection = DurableHostFixture.Connection, mode = "sample" }, principal: globex);
        Assert.Equal(400, startForOther.Status);

        var noRole = await SendAsync(r => api.ApproveAsync(r, host.Client, id, default), "POST", $"/api/migrations/{id}/approve", new { specHash = "x" }, principal: Principal("ops@acme.example", "acme"));
        Assert.Equal(403, noRole.Status);
        Assert.Equal(403, (await SendAsync(r => api.RollbackAsync(r, host.Client, id, default), "POST", $"/api/migrations/{id}/rollback", new { }, principal: Principal("ops@acme.example", "acme"))).Status);
        var whileRunning = await SendAsync(r => api.RollbackAsync(r, host.Client, id, default), "POST", $"/api/migrations/{id}/rollback", new { }, principal: Principal("lead@acme.example", "acme", "Flit.Approver"));
        Assert.Equal(409, whileRunning.Status);
        var keyOnly = await SendAsync(r => api.ApproveAsync(r, host.Client, id, default), "POST", $"/api/migrations/{id}/approve", new { specHash = "x" });
        Assert.Equal(403, keyOnly.Status);
    }

    private MigrationsApi Api(Action<FlitOptions>? configure = null)
    {
        var options = host.Services.GetRequiredService<IOptions<FlitOptions>>().Value;
        var copy = new FlitOptions { Storage = options.Storage, Tenants = options.Tenants, ApproverRole = options.ApproverRole, TenantClaim = options.TenantClaim };
        foreach (var (name, connection) in options.Connections)
        {
            copy.Connections[name] = connection;
        }

        configure?.Invoke(copy);
        return ActivatorUtilities.CreateInstance<MigrationsApi>(host.Services, Options.Create(copy));
    }

    private async Task<string> WaitForApprovalAsync(MigrationsApi api, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var status = await SendAsync(r => api.GetAsync(r, host.Client, id, default), "GET", $"/api/migrations/{id}");
            if (status.Json.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object && s.GetProperty("stage").GetString() == "awaiting-approval")
            {
                return s.GetProperty("detail").GetString()!.Replace("spec ", "", StringComparison.Ordinal);
            }

            Assert.NotEqual("Failed", status.Json.GetProperty("runtimeStatus").GetString());
            await Task.Delay(200, timeout.Token);
        }
    }

    /// <summary>An App Service authentication principal, as the platform puts it in <c>X-MS-CLIENT-PRINCIPAL</c>.</summary>
    private static string Principal(string name, string tenant, params string[] roles)
    {
        var claims = new List<object> { new { typ = "name", val = name }, new { typ = "flit_tenant", val = tenant } };
        claims.AddRange(roles.Select(r => new { typ = "roles", val = r }));
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", name_typ = "name", role_typ = "roles", claims });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    private static async Task<Answer> SendAsync(Func<HttpRequest, Task<IActionResult>> function, string method, string path, object? body = null, string query = "", string? principal = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("flit.test");
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        if (principal is not null)
        {
            context.Request.Headers[ClientPrincipal.Header] = principal;
        }

        var text = body switch { null => "", string s => s, _ => JsonSerializer.Serialize(body) };
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(text));
        context.Request.ContentType = "application/json";
        var result = Assert.IsType<ContentResult>(await function(context.Request));
        var content = result.Content ?? "";
        var json = result.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true ? JsonDocument.Parse(content).RootElement.Clone() : default;
        return new Answer(result.StatusCode ?? 200, content, json, context.Response.Headers);
    }

    private sealed record Answer(int Status, string Body, JsonElement Json, IHeaderDictionary Headers);
}
