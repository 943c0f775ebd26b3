using Flit.Core.Sources;

namespace Flit.Sources.Readers;

/// <summary>The file found for one layout object.</summary>
/// <param name="Object">The layout object.</param>
/// <param name="Path">Full path of the file.</param>
/// <param name="RelativePath">Path relative to the export folder, with <c>/</c> separators: what records carry as their file.</param>
public sealed record DiscoveredFile(ObjectLayout Object, string Path, string RelativePath);

/// <summary>What an export folder holds, measured against a source layout.</summary>
/// <param name="Files">The file serving each object that has one, in layout order.</param>
/// <param name="UnknownFiles">Top-level files no object accepts (relative paths), sorted.</param>
/// <param name="MissingObjects">Objects for which no accepted file exists, in layout order.</param>
/// <param name="IgnoredFiles">Files an object accepts but that lost to an earlier-listed name of the same object (relative paths).</param>
public sealed record ExportFolderContents(
    IReadOnlyList<DiscoveredFile> Files,
    IReadOnlyList<string> UnknownFiles,
    IReadOnlyList<ObjectLayout> MissingObjects,
    IReadOnlyList<string> IgnoredFiles);

/// <summary>Finds which file of an export folder serves each object of a layout.</summary>
public static class ExportFolder
{
    /// <summary>
    /// Matches the files of <paramref name="folder"/> to <paramref name="layout"/>'s objects by the names each object
    /// accepts (<see cref="ObjectLayout.FileNames"/>, case-insensitive; a name may include a sub-folder). When several
    /// accepted names exist, the first listed wins and the others are reported as ignored. Sub-folders (attachments)
    /// are not listed as unknown.
    /// </summary>
    public static ExportFolderContents Discover(string folder, SourceLayout layout)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(layout);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The export folder '{folder}' does not exist.");
        }

        var topLevel = Directory.EnumerateFiles(folder)
            .ToDictionary(p => System.IO.Path.GetFileName(p), StringComparer.OrdinalIgnoreCase);
        var claimed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var files = new List<DiscoveredFile>();
        var missing = new List<ObjectLayout>();
        var ignored = new List<string>();
        foreach (var obj in layout.Objects)
        {
            DiscoveredFile? chosen = null;
            foreach (var name in obj.FileNames)
            {
                var relative = name.Replace('\\', '/');
                var path = Find(folder, relative, topLevel);
                if (path is null)
                {
                    continue;
                }

                var actualRelative = System.IO.Path.GetRelativePath(folder, path).Replace('\\', '/');
                claimed.Add(actualRelative);
                if (chosen is null)
                {
                    chosen = new DiscoveredFile(obj, path, actualRelative);
                }
                else
                {
                    ignored.Add(actualRelative);
                }
            }

            if (chosen is null)
            {
                missing.Add(obj);
            }
            else
            {
                files.Add(chosen);
            }
        }

        var unknown = topLevel.Keys.Where(n => !claimed.Contains(n)).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return new ExportFolderContents(files, unknown, missing, ignored);
    }

    private static string? Find(string folder, string relative, Dictionary<string, string> topLevel)
    {
        if (!relative.Contains('/', StringComparison.Ordinal))
        {
            return topLevel.GetValueOrDefault(relative);
        }

        // A name in a sub-folder: match each segment case-insensitively, as on the client's (Windows) machine.
        var current = folder;
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            var entries = last ? Directory.EnumerateFiles(current) : Directory.EnumerateDirectories(current);
            var match = entries.FirstOrDefault(e => string.Equals(System.IO.Path.GetFileName(e), segments[i], StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                return null;
            }

            current = match;
        }

        return current;
    }
}
