namespace Flit.Core.Sources;

/// <summary>
/// Paths inside an export (attachment files, BPMN definitions) as the export's rows give them. Only a relative path
/// with '/' separators that stays inside the export folder is used; anything else — '..', an absolute path, a drive
/// letter, backslashes, control characters — is refused with the reason, so a row can never make the engine read a
/// file outside what the client uploaded.
/// </summary>
public static class ExportPaths
{
    /// <summary>The path to use, or null with the reason it is refused.</summary>
    public static string? Check(string? path, out string? problem)
    {
        problem = null;
        var text = path?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problem = "the path is empty";
            return null;
        }

        problem = text switch
        {
            _ when text.Contains('\\', StringComparison.Ordinal) => $"'{text}' uses backslashes; export paths are relative with '/' (a Windows path cannot be resolved safely)",
            _ when text.Length >= 2 && char.IsAsciiLetter(text[0]) && text[1] == ':' => $"'{text}' names a drive; export paths are relative to the export folder",
            _ when text.StartsWith('/') || text.StartsWith('~') => $"'{text}' is absolute; export paths are relative to the export folder",
            _ when text.Split('/').Any(s => s is ".." or "." || s.Length == 0) => $"'{text}' steps outside its folder or has an empty part ('..', '.', '//'); export paths stay inside the export folder",
            _ when text.Any(char.IsControl) => $"'{text}' contains control characters",
            _ => null,
        };
        return problem is null ? text : null;
    }
}
