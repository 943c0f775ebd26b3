namespace Flit.Core.Mapping;

/// <summary>What happens to a source object.</summary>
public enum Disposition
{
    /// <summary>Each record becomes a destination record.</summary>
    Migrate,

    /// <summary>Records are kept as notes/messages on their parent (e.g. social posts).</summary>
    NoteOnParent,

    /// <summary>Values are folded into other records (e.g. Oncourse organisations extracted from contacts, custom
    /// properties that become fields of their record): no record of its own.</summary>
    MergedInto,

    /// <summary>Cannot migrate: exported as a JSON rebuild package for the destination's admin.</summary>
    RebuildPackage,

    /// <summary>Not migrated; the disclosure says what is lost.</summary>
    NotMigrated,
}

/// <summary>A declarative, versioned mapping from one source system to one destination.</summary>
/// <param name="Pair">e.g. <c>arkcase-odoo</c>.</param>
/// <param name="Version">Bumped on every change to the shipped spec.</param>
/// <param name="Source">Source system id (layout).</param>
/// <param name="Destination"><c>odoo</c> or <c>dataverse</c>.</param>
/// <param name="Objects">One entry per seed-table row (at least), in load order within phases.</param>
/// <param name="Owners">Where owner e-mails come from: the object, its key column (what owner columns hold) and
/// its e-mail column.</param>
public sealed record MappingSpec(string Pair, int Version, string Source, string Destination, IReadOnlyList<ObjectMapping> Objects, OwnerDirectory? Owners = null)
{
    public IEnumerable<ObjectMapping> Migrated => Objects.Where(o => o.Disposition == Disposition.Migrate && o.Target is not null);
}

/// <summary>The source object that turns owner keys (user ids, names) into e-mails.</summary>
public sealed record OwnerDirectory(string Object, string Key, string Email);

/// <summary>How one source object lands.</summary>
/// <param name="SeedRow">The seed table row this entry covers (exact title).</param>
/// <param name="Source">Layout object name.</param>
/// <param name="Disposition">What happens to its records.</param>
/// <param name="Target">Destination model/table when migrated.</param>
/// <param name="Phase">Load phase.</param>
/// <param name="Fields">Field mappings.</param>
/// <param name="References">Links to other migrated records.</param>
/// <param name="Disclosure">Loss of function people must know about.</param>
/// <param name="Where">Optional filter: <c>column=value</c> or <c>column!=value</c>; others are skipped by rule.</param>
/// <param name="Name">Distinguishes two entries for the same source object (e.g. leads vs opportunities).</param>
/// <param name="IdFrom">Column the record's id is computed from (instead of the source key), e.g. the organisation.</param>
/// <param name="IdTransform">How the id is computed from <paramref name="IdFrom"/>: <c>companyKey</c> or <c>text</c>.</param>
/// <param name="Joins">Values of other objects of the export folded into each record (ArkCase contact methods and
/// postal addresses into their person), as extra columns <c>as.name</c> the fields and references can use.</param>
public sealed record ObjectMapping(
    string SeedRow,
    string Source,
    Disposition Disposition,
    string? Target,
    LoadPhase Phase,
    IReadOnlyList<FieldMapping> Fields,
    IReadOnlyList<ReferenceMapping> References,
    string? Disclosure,
    string? Where = null,
    string? Name = null,
    string? IdFrom = null,
    string? IdTransform = null,
    IReadOnlyList<JoinMapping>? Joins = null)
{
    /// <summary>The object name used in external ids and the ID map: <see cref="Name"/> or the source object.</summary>
    public string Key => Name ?? Source;
}

/// <summary>
/// Another object of the export folded into each record: its rows that point at the record (<paramref name="On"/>, the
/// joined object's column holding this record's id: a person's contact methods) or the row the record points at
/// (<paramref name="By"/>, this record's column holding the joined row's id: a person's default address).
/// </summary>
/// <param name="Object">The joined layout object.</param>
/// <param name="On">One to many: the joined object's column that holds this record's source id.</param>
/// <param name="By">One to one: this record's column that holds the joined row's source id.</param>
/// <param name="As">Prefix of the columns the join adds (<c>as.name</c>).</param>
/// <param name="Where">Only joined rows matching this <see cref="RowCondition"/>.</param>
/// <param name="Columns">The columns added, by name.</param>
public sealed record JoinMapping(string Object, string? On, string? By, string As, string? Where, IReadOnlyDictionary<string, JoinColumn> Columns);

/// <summary>A column a join adds: the first joined row's value (<c>first</c>), or every joined row's values formatted
/// and listed (<c>list</c>, one per line), of the rows matching <paramref name="Where"/>.</summary>
public sealed record JoinColumn(IReadOnlyList<string> From, string Pick, string? Format = null, string? Where = null);

/// <summary>One destination field and where its value comes from.</summary>
/// <param name="To">Destination field.</param>
/// <param name="From">Source column(s); several columns are joined by the transform (e.g. names, templates).</param>
/// <param name="Transform">Transform name (see <c>Transforms</c>); default <c>text</c>.</param>
/// <param name="Args">Transform arguments (value maps, template, model).</param>
/// <param name="Value">A constant instead of a source column.</param>
/// <param name="Required">The record fails without a value.</param>
/// <param name="Custom">Create this custom field before data.</param>
/// <param name="Proposal">Set on fields added by the proposal step: confidence and reason.</param>
public sealed record FieldMapping(
    string To,
    IReadOnlyList<string> From,
    string Transform,
    IReadOnlyDictionary<string, string> Args,
    string? Value,
    bool Required,
    CustomField? Custom,
    Proposal? Proposal = null);

/// <summary>A custom field to create at the destination.</summary>
public sealed record CustomField(string Type, string Label, IReadOnlyList<string>? Selection = null);

/// <summary>Why the proposal step suggested a field.</summary>
public sealed record Proposal(double Confidence, string Reason);

/// <summary>A link to another migrated record by its source id.</summary>
/// <param name="To">Destination field (many2one / lookup).</param>
/// <param name="From">Column holding the referenced record's source id (or the text the key is built from).</param>
/// <param name="Object">Referenced object key; or, for polymorphic parents, resolved from <see cref="ObjectBy"/>.</param>
/// <param name="Required">The record cannot load without it.</param>
/// <param name="ObjectBy">Polymorphic parent: column whose value names the parent's type, and the map from its
/// values to object keys (ArkCase notes hang off cases, complaints, persons or organizations).</param>
/// <param name="ModelField">With a polymorphic parent: field that receives the parent's destination model.</param>
/// <param name="KeyTransform">Builds the referenced id from the column (e.g. <c>companyKey</c> for names).</param>
public sealed record ReferenceMapping(
    string To,
    string From,
    string? Object,
    bool Required,
    PolymorphicParent? ObjectBy = null,
    string? ModelField = null,
    string? KeyTransform = null);

/// <summary>A parent whose type is given by another column.</summary>
public sealed record PolymorphicParent(string Column, IReadOnlyDictionary<string, string> Map);
