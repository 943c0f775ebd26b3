namespace Flit.Functions.Hosting;

/// <summary>The app's settings (section <c>Flit</c>; app settings <c>Flit__Storage__AccountUrl</c> and so on).</summary>
public sealed class FlitOptions
{
    public const string Section = "Flit";

    public StorageSettings Storage { get; set; } = new();

    /// <summary>Destination connections by reference: what <c>POST /api/migrations</c> names instead of a target and
    /// its secrets, which live only here (app settings or Key Vault references).</summary>
    public Dictionary<string, DestinationConnection> Connections { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The tenants the drop accepts and the API serves (comma-separated in one app setting).</summary>
    public string Tenants { get; set; } = "";

    /// <summary>The App Service authentication role approve and rollback require, when set.</summary>
    public string? ApproverRole { get; set; }

    /// <summary>The claim of an App Service principal that binds the caller to one tenant.</summary>
    public string TenantClaim { get; set; } = "flit_tenant";

    public IReadOnlySet<string> TenantSet() =>
        Tenants.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}

/// <summary>The account the app's stores live in: a connection string (Azurite, local) or the account's blob and table
/// endpoints reached with the app's managed identity.</summary>
public sealed class StorageSettings
{
    public string? ConnectionString { get; set; }

    public Uri? AccountUrl { get; set; }

    /// <summary>The client id of a user-assigned managed identity (null: the system-assigned one).</summary>
    public string? ClientId { get; set; }

    public string StagingContainer { get; set; } = "flit-staging";
}

/// <summary>A destination connection: its target (no secret in it) and its secrets by name.</summary>
public sealed class DestinationConnection
{
    public string Target { get; set; } = "";

    public string? ApiKey { get; set; }

    public string? Password { get; set; }

    public string? Secret(string name) => name switch
    {
        "ApiKey" => ApiKey,
        "Password" => Password,
        _ => null,
    };
}
