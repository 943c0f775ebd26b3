namespace Flit.Core.Workflow;

/// <summary>
/// What a migration id may be: it names folders, blob prefixes, SQLite files and the orchestration instance, so it is
/// kept to characters every one of them takes as they are.
/// </summary>
public static class MigrationIds
{
    /// <summary>Long enough for a tenant, a date and a counter; short enough for paths, blob names and table keys.</summary>
    public const int MaxLength = 64;

    /// <summary>The rule, for messages and help text.</summary>
    public const string Rule = "letters a-z and A-Z, digits, '-' and '_', at most 64 characters";

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Why <paramref name="id"/> is not a migration id, or null when it is one.</summary>
    public static string? Problem(string? id) =>
        IsValid(id) ? null : $"'{id}' is not a usable migration id: use {Rule}.";
}
