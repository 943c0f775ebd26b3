namespace Flit.Core.Sources;

/// <summary>What a <see cref="ReadProblem"/> is about.</summary>
public enum ReadProblemKind
{
    /// <summary>A line or value that could not be read.</summary>
    Unreadable,

    /// <summary>A column the layout marks required is absent from the file's header: no record of the file has it.</summary>
    MissingRequiredColumn,
}

/// <summary>A value or line that could not be read, with the exact place so the client can fix the export.</summary>
/// <param name="File">Export file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column, or 0 when the problem concerns the whole line.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record ReadProblem(string File, long Line, int Column, string Message)
{
    public ReadProblemKind Kind { get; init; } = ReadProblemKind.Unreadable;

    public override string ToString() =>
        Column > 0 ? $"{File}, line {Line}, column {Column}: {Message}" : $"{File}, line {Line}: {Message}";
}
