using Flit.Core.Mapping;
using Flit.Core.Sources;
using Flit.Sources.Layouts;

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

    /// <summary>
    /// Refuses an export folder from which <paramref name="layout"/> can read nothing: an empty folder, or one holding
    /// no file of the layout (an ArkCase export started as an Oncourse migration would otherwise audit as "0 records").
    /// The message lists what was found and the known layout it looks like.
    /// </summary>
    /// <param name="folder">The export folder.</param>
    /// <param name="layout">The layout of the migration's pair.</param>
    /// <param name="pair">The pair, for the message.</param>
    /// <exception cref="ExportFolderException">Nothing to read.</exception>
    public static void EnsureReadable(string folder, SourceLayout layout, string pair)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new ExportFolderException(folder, $"The export folder '{folder}' does not exist.");
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .ToList();
        EnsureReadable(folder, files, layout, pair);
    }

    /// <summary>The same check over a listing (a blob prefix's paths), before anything is staged.</summary>
    /// <param name="folder">How the folder is named in messages.</param>
    /// <param name="relativePaths">Every file of the folder, relative to it, with <c>/</c> separators.</param>
    /// <param name="layout">The layout of the migration's pair.</param>
    /// <param name="pair">The pair, for the message.</param>
    /// <exception cref="ExportFolderException">Nothing to read.</exception>
    public static void EnsureReadable(string folder, IReadOnlyCollection<string> relativePaths, SourceLayout layout, string pair)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(relativePaths);
        ArgumentNullException.ThrowIfNull(layout);
        var expected = string.Join(", ", layout.Objects.Select(o => o.FileNames[0]));
        if (relativePaths.Count == 0)
        {
            throw new ExportFolderException(folder, $"The export folder {folder} is empty. The pair {pair} expects {layout.DisplayName} export files: {expected}.");
        }

        if (Matched(relativePaths, layout).Count > 0)
        {
            return;
        }

        var found = relativePaths.Where(p => !p.Contains('/', StringComparison.Ordinal)).DefaultIfEmpty(relativePaths.First())
            .Order(StringComparer.OrdinalIgnoreCase).ToList();
        var foundText = Listed(found, 8) + (relativePaths.Count > found.Count ? $" ({relativePaths.Count} files counting sub-folders)" : string.Empty);
        var best = SourceLayouts.All
            .Where(l => l.System != layout.System)
            .Select(l => (Layout: l, Files: Matched(relativePaths, l)))
            .Where(m => m.Files.Count > 0)
            .OrderByDescending(m => m.Files.Count)
            .FirstOrDefault();
        var looksLike = best.Layout is { } other
            ? $"This looks like {WithArticle(other.DisplayName)} export ({Listed(best.Files, 5)}): {PairsOf(other)}."
            : $"None of them is a file of a known export layout ({string.Join(", ", SourceLayouts.All.Select(l => l.DisplayName))}).";
        throw new ExportFolderException(folder, $"The export folder {folder} holds no file of the {layout.DisplayName} export that the pair {pair} reads. Found: {foundText}. {looksLike} The pair {pair} expects {expected}.");
    }

    /// <summary>The files of a listing that some object of <paramref name="layout"/> accepts, in listing order.</summary>
    private static List<string> Matched(IReadOnlyCollection<string> relativePaths, SourceLayout layout)
    {
        var accepted = layout.Objects.SelectMany(o => o.FileNames).Select(n => n.Replace('\\', '/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. relativePaths.Where(accepted.Contains).Order(StringComparer.OrdinalIgnoreCase)];
    }

    private static string PairsOf(SourceLayout layout)
    {
        var pairs = MappingSpecLoader.ShippedPairs.Where(p => MappingSpecLoader.LoadShipped(p).Source == layout.System).ToList();
        return pairs.Count == 0
            ? $"no pair reads {layout.DisplayName} exports yet"
            : $"migrate it with the pair {string.Join(" or ", pairs)}";
    }

    private static string WithArticle(string name) => ("AEIOU".Contains(char.ToUpperInvariant(name[0]), StringComparison.Ordinal) ? "an " : "a ") + name;

    private static string Listed(List<string> names, int max) =>
        string.Join(", ", names.Take(max)) + (names.Count > max ? $" and {names.Count - max} more" : string.Empty);

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
