namespace Flit.Destinations.Odoo.Rpc;

/// <summary>Which external API the client speaks.</summary>
public enum OdooProtocol
{
    /// <summary>JSON-2 on Odoo 19+ when an API key is set; XML-RPC otherwise.</summary>
    Auto,
    XmlRpc,
    JsonRpc,
    Json2,
}

/// <summary>How to reach one Odoo database. Secrets come from configuration or Key Vault; they are never logged.</summary>
public sealed class OdooClientOptions
{
    public required Uri Url { get; init; }

    public required string Database { get; init; }

    public required string Login { get; init; }

    /// <summary>Password or API key for XML-RPC/JSON-RPC (Odoo accepts an API key in the password's place).</summary>
    public string? Password { get; init; }

    /// <summary>API key: required for JSON-2 (bearer), accepted by the other protocols as the password.</summary>
    public string? ApiKey { get; init; }

    public OdooProtocol Protocol { get; init; } = OdooProtocol.Auto;

    /// <summary>Per call; Odoo's own limit_time_real defaults to 120 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The migration this client writes for, when it writes for one: a tag on its call metrics.</summary>
    public string? MigrationId { get; init; }

    /// <summary>Attempts for transient failures (transport errors, serialization failures, deadlocks).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Throws with every problem when the options cannot work.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https"))
        {
            problems.Add($"Url must be an absolute http(s) URL, not '{Url}'");
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            problems.Add("Database is required");
        }

        if (string.IsNullOrWhiteSpace(Login))
        {
            problems.Add("Login is required");
        }

        if (string.IsNullOrEmpty(Password) && string.IsNullOrEmpty(ApiKey))
        {
            problems.Add("Password or ApiKey is required");
        }

        if (Protocol == OdooProtocol.Json2 && string.IsNullOrEmpty(ApiKey))
        {
            problems.Add("JSON-2 needs an ApiKey (bearer authentication)");
        }

        if (MaxAttempts < 1 || Timeout <= TimeSpan.Zero)
        {
            problems.Add("MaxAttempts must be ≥ 1 and Timeout positive");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Odoo client options: " + string.Join("; ", problems) + ".");
        }
    }

    internal string Secret => ApiKey ?? Password!;
}
