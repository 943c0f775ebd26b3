namespace Flit.Sandbox.Odoo;

/// <summary>A user of the sandbox database.</summary>
/// <param name="Login">Login name.</param>
/// <param name="Password">Password.</param>
/// <param name="Email">E-mail, what owners are matched by.</param>
/// <param name="Name">Display name.</param>
/// <param name="ApiKey">API key for JSON-2 bearer authentication, if any.</param>
/// <param name="Tz">The user's time zone: load() reads datetimes in it unless the context names another (an admin
/// usually has the browser's zone, rarely UTC).</param>
public sealed record SandboxUser(string Login, string Password, string Email, string Name, string? ApiKey = null, string? Tz = "Europe/Brussels")
{
    /// <summary>The administrator every sandbox has: login admin, password admin, API key admin-api-key.</summary>
    public static SandboxUser Admin { get; } = new("admin", "admin", "admin@sandbox.example", "Administrator", "admin-api-key");

    /// <summary>The administrator, then one user per e-mail (login user0, user1…, named after the e-mail's local part):
    /// a destination holding the users a migration's owners map to.</summary>
    public static IReadOnlyList<SandboxUser> AdminAnd(IEnumerable<string> emails) =>
        [Admin, .. emails.Select(e => e.Trim()).Where(e => e.Contains('@', StringComparison.Ordinal)).Select((e, i) => new SandboxUser($"user{i}", $"pw{i}", e, e.Split('@')[0]))];
}

/// <summary>How the sandbox behaves. Defaults: Odoo 17.0, database <c>sandbox</c>, an admin user.</summary>
public sealed record OdooSandboxOptions
{
    public string Version { get; init; } = "17.0";

    public string Database { get; init; } = "sandbox";

    public IReadOnlyList<SandboxUser> Users { get; init; } = [SandboxUser.Admin];

    /// <summary>The database's company (res.company), whose partner holds this e-mail: what Odoo creates with every database.</summary>
    public string CompanyName { get; init; } = "My Company";

    public string CompanyEmail { get; init; } = "info@yourcompany.example";

    /// <summary>Added to every call, to make round trips cost what they cost on a real network.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Server time of every object call besides its records (request parsing, authentication, transaction, commit),
    /// spent on a worker. Zero by default: tests and the demo run as fast as they can; the benchmark sets what a real
    /// Odoo costs (bench/Flit.Benchmarks, OdooWholePairBenchmark: 5 ms).
    /// </summary>
    public TimeSpan CallOverhead { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Server time per record a call creates, writes or deletes (the rows of a load, the values of a create, the ids of
    /// a write or unlink), spent on a worker: a real Odoo's ORM spends milliseconds per record (published load() figures
    /// are 100–130 records/s per worker). Zero by default; the benchmark sets 2 ms.
    /// </summary>
    public TimeSpan RecordCost { get; init; } = TimeSpan.Zero;

    /// <summary>Odoo workers: a request holds one for its server time, so with one (the default) requests wait for each
    /// other, as they do on a server with a single worker.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Every Nth execute_kw fails once with a serialization failure (0 = never).</summary>
    public int FailEveryNthCall { get; init; }

    /// <summary>The server's clock (create and write dates, date_closed stamps); tests pass a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }
}
