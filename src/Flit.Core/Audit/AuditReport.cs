namespace Flit.Core.Audit;

/// <summary>How much a finding matters for the run.</summary>
public enum Severity
{
    /// <summary>Good to know; the engine handles it (e.g. HTML that will be sanitised).</summary>
    Info,

    /// <summary>Records will load with a value left out, or need a person's decision.</summary>
    Warning,

    /// <summary>Records will fail unless fixed (missing required values, unmatched owners without fallback).</summary>
    Blocking,
}

/// <summary>A record a finding is about, and where it is.</summary>
public sealed record FindingRecord(string Object, string SourceId, string File, long Line, int Column, string? Value);

/// <summary>One kind of problem in the export, with every record that has it.</summary>
public sealed record Finding(string Kind, Severity Severity, string Message, int Count, IReadOnlyList<FindingRecord> Records);

/// <summary>Inventory of one column: how often it is filled.</summary>
public sealed record ColumnInventory(string Name, bool Documented, long Filled, double FillRate);

/// <summary>Inventory of one object.</summary>
public sealed record ObjectInventory(string Object, IReadOnlyList<string> Files, long Records, IReadOnlyList<ColumnInventory> Columns);

/// <summary>A custom field the destination needs before data.</summary>
public sealed record PlannedField(string Model, string Name, string Type, string Label, IReadOnlyList<string>? Selection, string Origin);

/// <summary>A loss of function people must accept before the run.</summary>
public sealed record Disclosure(string SeedRow, string Object, string Disposition, string Text);

/// <summary>A rebuild package: what cannot migrate, exported as JSON for the destination's admin.</summary>
public sealed record RebuildPackage(string Kind, string Id, string Name, string SourceFile, long Line, IReadOnlyDictionary<string, object?> Definition);

/// <summary>How one file's date column writes slash dates, as its values show: the run reads them the same way.</summary>
/// <param name="File">Export file.</param>
/// <param name="Column">Date column.</param>
/// <param name="Order">The order the run uses.</param>
/// <param name="DayFirstValues">Values only a day-first reading makes real (a first number above 12).</param>
/// <param name="MonthFirstValues">Values only a month-first reading makes real.</param>
/// <param name="Proven">False when no value decides it and the source's convention applies.</param>
public sealed record DateOrderDecision(string File, string Column, Values.DateOrder Order, long DayFirstValues, long MonthFirstValues, bool Proven);

/// <summary>The audit of one export: inventory, findings, the custom-field plan, disclosures and rebuild packages.</summary>
public sealed record AuditReport(
    string System,
    string Pair,
    IReadOnlyList<ObjectInventory> Inventory,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<PlannedField> CustomFields,
    IReadOnlyList<Disclosure> Disclosures,
    IReadOnlyList<RebuildPackage> RebuildPackages,
    IReadOnlyList<DateOrderDecision>? DateOrders = null)
{
    public long Records => Inventory.Sum(i => i.Records);

    public int BlockingFindings => Findings.Where(f => f.Severity == Severity.Blocking).Sum(f => f.Count);
}
