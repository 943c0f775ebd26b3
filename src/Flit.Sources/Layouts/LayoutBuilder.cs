using Flit.Core.Sources;

namespace Flit.Sources.Layouts;

/// <summary>Terse helpers so each layout reads like the table in its doc.</summary>
internal static class LayoutBuilder
{
    public static ColumnLayout Col(string name, ValueKind kind = ValueKind.Text, bool required = false, params string[] aliases) =>
        new(name, kind, required, null, aliases.Length == 0 ? null : aliases);

    public static ColumnLayout Ref(string name, string references, bool required = false, params string[] aliases) =>
        new(name, ValueKind.Reference, required, references, aliases.Length == 0 ? null : aliases);

    public static ObjectLayout Obj(string name, string[] files, ExportFormat format, string key, string description, params ColumnLayout[] columns) =>
        new(name, files, format, key, columns, description);

    /// <summary>An object whose export repeats the key by design: <paramref name="rowKey"/> completes it.</summary>
    public static ObjectLayout Obj(string name, string[] files, ExportFormat format, string key, string[] rowKey, string description, params ColumnLayout[] columns) =>
        new(name, files, format, key, columns, description, rowKey);
}
