namespace Flit.Core.Sources;

/// <summary>A value or line that could not be read, with the exact place so the client can fix the export.</summary>
/// <param name="File">Export file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column, or 0 when the problem concerns the whole line.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record ReadProblem(string File, long Line, int Column, string Message)
{
    public override string ToString() =>
        Column > 0 ? $"{File}, line {Line}, column {Column}: {Message}" : $"{File}, line {Line}: {Message}";
}
