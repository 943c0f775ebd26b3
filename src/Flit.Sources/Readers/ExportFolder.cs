using Flit.Core.Mapping;
using Flit.Core.Sources;
using Flit.Sources.Layouts;

namespace Flit.Sources.Readers;

/// <summary>The file found for one layout object.</summary>
/// <param name="Object">The layout object.</param>
/// <param name="Path">The file's path: a local path for a folder on this machine, the folder's path joined with
/// <paramref name="RelativePath"/> by <c>/</c> for a listing (a staging store's path).</param>
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

/// <summary>
/// Finds which file of an export folder serves each object of a layout. Each check has two shapes that share one
/// logic: over a folder on this machine (the CLI, before anything is staged) and over a listing of relative paths
/// (a staging store's or a blob prefix's).
/// </summary>
public static class ExportFolder
{
    /// <summary>
    /// Matches the files of <paramref name="folder"/> (a folder on this machine) to <paramref name="layout"/>'s
    /// objects; see <see cref="Discover(string, IReadOnlyCollection{string}, SourceLayout)"/>.
    /// </summary>
    public static ExportFolderContents Discover(string folder, SourceLayout layout)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The export folder '{folder}' does not exist.");
        }

        return Discover(ListFiles(folder), layout, relative => System.IO.Path.Combine(folder, relative.Replace('/', System.IO.Path.DirectorySeparatorChar)));
    }

    /// <summary>
    /// Matches the files of a listing to <paramref name="layout"/>'s objects by the names each object accepts
    /// (<see cref="ObjectLayout.FileNames"/>, case-insensitive as on the client's Windows machine; a name may include a
    /// sub-folder). When several accepted names exist, the first listed wins and the others are reported as ignored.
    /// Files in sub-folders (attachments) are not listed as unknown.
    /// </summary>
    /// <param name="folder">The folder's path, joined with each relative path by <c>/</c> into <see cref="DiscoveredFile.Path"/>.</param>
    /// <param name="relativePaths">Every file of the folder, relative to it, with <c>/</c> separators.</param>
    /// <param name="layout">The layout to match.</param>
    public static ExportFolderContents Discover(string folder, IReadOnlyCollection<string> relativePaths, SourceLayout layout)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var root = folder.TrimEnd('/');
        return Discover(relativePaths, layout, relative => $"{root}/{relative}");
    }

    private static ExportFolderContents Discover(IReadOnlyCollection<string> relativePaths, SourceLayout layout, Func<string, string> pathOf)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        ArgumentNullException.ThrowIfNull(layout);
        // Ordinal order first, so that of two names differing only in case the same one wins on every store.
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var relative in relativePaths.Order(StringComparer.Ordinal))
        {
            byName.TryAdd(relative, relative);
        }

        var claimed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var files = new List<DiscoveredFile>();
        var missing = new List<ObjectLayout>();
        var ignored = new List<string>();
        foreach (var obj in layout.Objects)
        {
            DiscoveredFile? chosen = null;
            foreach (var name in obj.FileNames)
            {
                if (!byName.TryGetValue(name.Replace('\\', '/'), out var actual))
                {
                    continue;
                }

                claimed.Add(actual);
                if (chosen is null)
                {
                    chosen = new DiscoveredFile(obj, pathOf(actual), actual);
                }
                else
                {
                    ignored.Add(actual);
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

        var unknown = byName.Keys.Where(n => !n.Contains('/', StringComparison.Ordinal) && !claimed.Contains(n)).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return new ExportFolderContents(files, unknown, missing, ignored);
    }

    /// <summary>Every file under <paramref name="folder"/>, relative to it, with <c>/</c> separators.</summary>
    private static List<string> ListFiles(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(folder, f).Replace('\\', '/'))];

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

        EnsureReadable(folder, ListFiles(folder), layout, pair);
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
}
