using System.Text.Json;
using Flit.Core.Ports;

namespace Flit.Storage.Local;

/// <summary>
/// A migration's state documents as files, <c>{root}/{migration}/{document}.json</c>, each written whole and then
/// moved into place (a crash never leaves half a document), and its approval as one more document.
/// </summary>
public sealed class FileMigrationState(string root) : IMigrationStateStore, IApprovalStore
{
    private const string ApprovalDocument = "approval";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<string?> ReadAsync(string migrationId, string document, CancellationToken cancellationToken)
    {
        var path = PathOf(migrationId, document);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
    }

    public async Task WriteAsync(string migrationId, string document, string json, CancellationToken cancellationToken)
    {
        var path = PathOf(migrationId, document);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temp, json, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    public async Task<ApprovalRecord?> GetAsync(string migrationId, CancellationToken cancellationToken) =>
        await ReadAsync(migrationId, ApprovalDocument, cancellationToken) is { } json ? JsonSerializer.Deserialize<ApprovalRecord>(json, Json) : null;

    public Task RecordAsync(ApprovalRecord approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return WriteAsync(approval.MigrationId, ApprovalDocument, JsonSerializer.Serialize(approval, Json), cancellationToken);
    }

    /// <summary>Names become file names: each must be one plain path segment.</summary>
    private string PathOf(string migrationId, string document)
    {
        foreach (var name in (ReadOnlySpan<string>)[migrationId, document])
        {
            if (string.IsNullOrEmpty(name) || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
            {
                throw new ArgumentException($"'{name}' cannot name a migration or a state document: it must be one plain path segment.", nameof(migrationId));
            }
        }

        return Path.Combine(root, migrationId, document + ".json");
    }
}
