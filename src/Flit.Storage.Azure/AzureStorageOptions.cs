using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace Flit.Storage.Azure;

/// <summary>
/// Where the Azure stores live: one storage account, reached by a connection string (Azurite, or keys) or by its
/// account URL with Entra ID (<see cref="DefaultAzureCredential"/>: managed identity in Azure, the developer's login
/// locally). Table and container names have defaults; a test gives each run its own.
/// </summary>
public sealed class AzureStorageOptions
{
    /// <summary>A storage connection string (<c>UseDevelopmentStorage=true</c> or the account's keys).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The account's blob endpoint, e.g. <c>https://flitprod.blob.core.windows.net</c>; its table endpoint is
    /// the same host with <c>.table.</c>.</summary>
    public Uri? AccountUrl { get; init; }

    /// <summary>The credential for <see cref="AccountUrl"/>; <see cref="DefaultAzureCredential"/> when null.</summary>
    public TokenCredential? Credential { get; init; }

    /// <summary>The blob container holding every migration's staging area.</summary>
    public string StagingContainer { get; init; } = "flit-staging";

    /// <summary>Prefix of every table the stores create (letters and digits only: Table Storage's rule).</summary>
    public string TablePrefix { get; init; } = "flit";

    /// <summary>Retries per storage call, with the SDK's exponential back-off between them.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first back-off of the SDK's retry policy (it doubles from there); the SDK's default.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(0.8);

    /// <summary>Where retried and throttled calls are logged (<see cref="StorageRetryLog"/>); none when null.</summary>
    public ILoggerFactory? Loggers { get; init; }

    /// <summary>The HTTP transport, for tests that make the service answer as they need.</summary>
    internal HttpPipelineTransport? Transport { get; init; }

    /// <summary>Validates the options (at start-up) and builds the two service clients, with the SDKs' retry policies.</summary>
    /// <exception cref="ArgumentException">Neither or both of a connection string and an account URL, or a bad name.</exception>
    public (BlobServiceClient Blobs, TableServiceClient Tables) CreateClients()
    {
        if ((ConnectionString is null) == (AccountUrl is null))
        {
            throw new ArgumentException("Azure storage needs a connection string or an account URL (one of them).");
        }

        if (TablePrefix.Length is 0 or > 40 || !char.IsAsciiLetter(TablePrefix[0]) || !TablePrefix.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"The table prefix '{TablePrefix}' must be 1 to 40 letters and digits, starting with a letter.");
        }

        var blobOptions = Configure(new BlobClientOptions(), "blob");
        var tableOptions = Configure(new TableClientOptions(), "table");
        if (ConnectionString is { } connection)
        {
            return (new BlobServiceClient(connection, blobOptions), new TableServiceClient(connection, tableOptions));
        }

        var credential = Credential ?? new DefaultAzureCredential();
        var blobUrl = AccountUrl!;
        var tableUrl = new UriBuilder(blobUrl) { Host = blobUrl.Host.Replace(".blob.", ".table.", StringComparison.OrdinalIgnoreCase) }.Uri;
        return (new BlobServiceClient(blobUrl, credential, blobOptions), new TableServiceClient(tableUrl, credential, tableOptions));
    }

    private T Configure<T>(T options, string service)
        where T : ClientOptions
    {
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = RetryDelay;
        if (Loggers is { } loggers)
        {
            options.AddPolicy(new StorageRetryLog(loggers.CreateLogger("Flit.Storage.Azure"), service), HttpPipelinePosition.PerRetry);
        }

        if (Transport is { } transport)
        {
            options.Transport = transport;
        }

        return options;
    }
}
