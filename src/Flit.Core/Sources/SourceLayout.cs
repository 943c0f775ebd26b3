namespace Flit.Core.Sources;

/// <summary>How one export file is stored.</summary>
public enum ExportFormat
{
    Csv,
    Xlsx,
    Json,
}

/// <summary>The shape a column's values must have; drives validation, audit findings and type inference.</summary>
public enum ValueKind
{
    Text,
    LongText,
    Html,
    Integer,
    Decimal,
    Boolean,
    Date,
    DateTime,
    Email,
    Phone,
    Url,
    /// <summary>A closed list of labels (status, priority, type).</summary>
    Picklist,
    /// <summary>The source id of another record, named by <see cref="ColumnLayout.References"/>.</summary>
    Reference,
    /// <summary>Several values in one cell, separated by <c>,</c> <c>;</c> or <c>|</c>.</summary>
    MultiValue,
    /// <summary>A path to an attachment's bytes, relative to the export folder.</summary>
    FilePath,
}

/// <summary>A documented column of an export.</summary>
/// <param name="Name">The documented header, which is also the canonical name used by mapping specs.</param>
/// <param name="Kind">Expected value shape.</param>
/// <param name="Required">Whether the source system always fills it (empty = a finding).</param>
/// <param name="References">For <see cref="ValueKind.Reference"/>: the object whose source id this holds.</param>
/// <param name="Aliases">Other headers real exports use for the same column.</param>
/// <param name="KindWhen">A column whose values' shape depends on another column (ArkCase's contact value is an
/// e-mail when its type says mail): checked as that kind on those rows.</param>
public sealed record ColumnLayout(
    string Name,
    ValueKind Kind,
    bool Required = false,
    string? References = null,
    IReadOnlyList<string>? Aliases = null,
    ValueKindWhen? KindWhen = null)
{
    public IReadOnlyList<string> AllNames => Aliases is null ? [Name] : [Name, .. Aliases];
}

/// <summary>The kind a column's value has on rows whose <paramref name="Column"/> contains <paramref name="Contains"/>.</summary>
public sealed record ValueKindWhen(string Column, string Contains, ValueKind Kind);

/// <summary>One object (file) of a source export.</summary>
/// <param name="Name">Object name used throughout the engine, e.g. <c>person</c>.</param>
/// <param name="FileNames">Accepted file names (case-insensitive, extension included), first is the documented one.</param>
/// <param name="Format">Storage format.</param>
/// <param name="KeyColumn">Column holding the record's stable source id.</param>
/// <param name="Columns">Documented columns.</param>
/// <param name="Description">What the object is in the source product.</param>
/// <param name="RowKeyColumns">When the export repeats the key by design (Actimo writes a message once per
/// recipient), the columns that, with the key, identify a row: the record's id is then the key and these, joined.</param>
public sealed record ObjectLayout(
    string Name,
    IReadOnlyList<string> FileNames,
    ExportFormat Format,
    string KeyColumn,
    IReadOnlyList<ColumnLayout> Columns,
    string Description,
    IReadOnlyList<string>? RowKeyColumns = null)
{
    /// <summary>The key as people read it: the key column, and the row key columns when there are.</summary>
    public string KeyDescription => RowKeyColumns is { Count: > 0 } parts ? string.Join(" + ", new[] { KeyColumn }.Concat(parts)) : KeyColumn;

    public ColumnLayout? Column(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The export layout the engine accepts for one source system.</summary>
/// <param name="System">Short id: <c>arkcase</c>, <c>casemanager</c>, <c>oncourse</c>, <c>actimo</c>.</param>
/// <param name="DisplayName">Product name.</param>
/// <param name="DefaultTimeZone">IANA zone the product writes local times in, unless the migration says otherwise.</param>
/// <param name="Objects">Objects in the export.</param>
public sealed record SourceLayout(
    string System,
    string DisplayName,
    string DefaultTimeZone,
    IReadOnlyList<ObjectLayout> Objects)
{
    public ObjectLayout? Object(string name) =>
        Objects.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
}
