namespace Flit.Core.Ports;

/// <summary>The rule every staging store applies to a path: relative to the store, '/'-separated, and never leaving it.</summary>
public static class StagingPath
{
    /// <summary>The path, checked.</summary>
    /// <exception cref="ArgumentException">An empty, rooted or '..'-holding path.</exception>
    public static string Check(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path[0] is '/' or '\\' || Path.IsPathRooted(path) || path.Split('/', '\\').Any(part => part == ".."))
        {
            throw new ArgumentException($"Staging path '{path}' must be relative to the store and must not contain '..'.", nameof(path));
        }

        return path;
    }
}
