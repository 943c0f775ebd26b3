namespace Flit.Core.Records;

/// <summary>Where a source record or value came from, so every finding and failure can point a person at it.</summary>
/// <param name="File">The export file name relative to the export folder (as the client uploaded it).</param>
/// <param name="Line">1-based physical line on which the record starts (multi-line quoted fields keep the first line).</param>
public readonly record struct SourceLocation(string File, long Line)
{
    /// <summary>A location with a 1-based column: the form used in error messages.</summary>
    public string At(int column) => $"{File}, line {Line}, column {column}";

    public override string ToString() => $"{File}, line {Line}";
}
