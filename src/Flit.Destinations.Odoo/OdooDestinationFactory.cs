using Flit.Core.Destinations;
using Flit.Core.Telemetry;
using Flit.Destinations.Odoo.Rpc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flit.Destinations.Odoo;

/// <summary>
/// Opens an Odoo target: <c>odoo://login@host:port/database</c>, the secret (an API key or the password) looked up by
/// name — <c>ApiKey</c>, <c>Password</c> — never taken from the target. Port 443 speaks HTTPS, any other plain HTTP.
/// </summary>
public sealed class OdooDestinationFactory(ILoggerFactory? loggers = null, FlitMetrics? metrics = null) : IDestinationFactory
{
    public const string ApiKeySecret = "ApiKey";

    public const string PasswordSecret = "Password";

    public string Syntax => "odoo://login@host:port/database";

    public bool Handles(string target) =>
        Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme == "odoo";

    public async Task<IDestination> OpenAsync(DestinationTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var uri = new Uri(target.Target);
        var login = Uri.UnescapeDataString(uri.UserInfo);
        var database = uri.AbsolutePath.Trim('/');
        var apiKey = target.Secret(ApiKeySecret);
        var password = target.Secret(PasswordSecret);
        if (login.Length == 0 || database.Length == 0 || (apiKey is null && password is null))
        {
            throw new DestinationTargetException($"An Odoo target is {Syntax}, with its API key (or password) set as a secret: {(login.Length == 0 ? "the login is missing" : database.Length == 0 ? "the database is missing" : "no API key or password is set")}.");
        }

        var scheme = uri.Port == 443 ? "https" : "http";
        return await ConnectAsync(new OdooClientOptions
        {
            Url = new Uri($"{scheme}://{uri.Host}:{uri.Port}/"),
            Database = database,
            Login = login,
            Password = password,
            ApiKey = apiKey,
            MigrationId = target.MigrationId,
        }, cancellationToken);
    }

    /// <summary>Connects a client (authenticates, reads the server's version) and wraps it as the destination.</summary>
    public async Task<OdooDestination> ConnectAsync(OdooClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new OdooClient(options, null, (loggers ?? NullLoggerFactory.Instance).CreateLogger<OdooClient>(), metrics ?? FlitMetrics.Shared);
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch (Exception e) when (e is OdooAccessDeniedException or HttpRequestException)
        {
            client.Dispose();
            throw new DestinationTargetException($"Cannot reach Odoo at {options.Url} (database {options.Database}, login {options.Login}): {e.Message}", e);
        }

        return new OdooDestination(client);
    }
}
