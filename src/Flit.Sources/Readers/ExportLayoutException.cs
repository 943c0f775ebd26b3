namespace Flit.Sources.Readers;

/// <summary>
/// An export file that cannot be read as its object at all (no key column, unknown format). Individual bad lines
/// and values are never exceptions: they go to the <see cref="IReadProblemSink"/>.
/// </summary>
public sealed class ExportLayoutException : Exception
{
    public ExportLayoutException()
    {
        File = string.Empty;
    }

    public ExportLayoutException(string message)
        : base(message)
    {
        File = string.Empty;
    }

    public ExportLayoutException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
    }

    public ExportLayoutException(string file, string message)
        : base(message)
    {
        File = file;
    }

    /// <summary>The export file at fault.</summary>
    public string File { get; }
}
