namespace Flit.Activities.Staging;

/// <summary>The staged exports: every file with its size and SHA-256, so what was migrated can be proven later.</summary>
public sealed record StageManifest(string MigrationId, DateTimeOffset StagedAt, IReadOnlyList<StagedFile> Files);

/// <summary>One staged export file; <see cref="Path"/> is relative to the export folder.</summary>
public sealed record StagedFile(string Path, long Length, string Sha256);
