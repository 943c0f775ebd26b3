namespace Flit.Core.Ports;

/// <summary>
/// The small documents a host keeps per migration between commands: the request it was started with, its status, the
/// delta window and the window loop's generation. Each is one JSON document, replaced whole.
/// </summary>
public interface IMigrationStateStore
{
    /// <summary>The document, or null when it was never written.</summary>
    Task<string?> ReadAsync(string migrationId, string document, CancellationToken cancellationToken);

    /// <summary>Replaces the document whole: a reader sees the old one or the new one, never a mix.</summary>
    Task WriteAsync(string migrationId, string document, string json, CancellationToken cancellationToken);
}

/// <summary>A migration as the run index lists it: its tenant, pair, state and latest run.</summary>
/// <param name="Tenant">The client tenant it belongs to.</param>
/// <param name="MigrationId">Its id.</param>
/// <param name="Pair">Its mapping pair.</param>
/// <param name="State">Where it is: e.g. <c>running</c>, <c>awaiting-approval</c>, <c>completed</c>, <c>failed</c>, <c>rolled-back</c>.</param>
/// <param name="RunId">Its latest run (attempt or delta pass).</param>
/// <param name="UpdatedAt">When the state was recorded.</param>
public sealed record MigrationIndexEntry(string Tenant, string MigrationId, string Pair, string State, string? RunId, DateTimeOffset UpdatedAt);

/// <summary>The migrations of each tenant and their state: what <c>flit list</c> and <c>GET /api/migrations?tenant=</c> show.</summary>
public interface IMigrationIndex
{
    /// <summary>Records the migration's current state, replacing the one recorded before.</summary>
    Task RecordAsync(MigrationIndexEntry entry, CancellationToken cancellationToken);

    Task<MigrationIndexEntry?> GetAsync(string tenant, string migrationId, CancellationToken cancellationToken);

    /// <summary>The tenant's migrations, by id.</summary>
    IAsyncEnumerable<MigrationIndexEntry> ListAsync(string tenant, CancellationToken cancellationToken);
}
