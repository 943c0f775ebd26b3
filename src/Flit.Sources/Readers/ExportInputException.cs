using System.Globalization;

namespace Flit.Sources.Readers;

/// <summary>
/// An export that cannot be used as it is: the client must fix or re-export it (or say how to read it). The message
/// is written for that person: which file, where, what was found and what was expected. Individual bad lines and
/// values are never exceptions: they go to the <see cref="IReadProblemSink"/> and reading goes on.
/// </summary>
public class ExportInputException : Exception
{
    public ExportInputException()
    {
        File = string.Empty;
    }

    public ExportInputException(string message)
        : base(message)
    {
        File = string.Empty;
    }

    public ExportInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
    }

    public ExportInputException(string file, long line, int column, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>The export file (or folder) at fault, as records name it.</summary>
    public string File { get; }

    /// <summary>1-based line (or sheet row) where the problem is, or 0 when it concerns the whole file.</summary>
    public long Line { get; }

    /// <summary>1-based column, or 0 when it concerns the whole line.</summary>
    public int Column { get; }

    /// <summary>"1 record", "3 records".</summary>
    internal static string Records(long count) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} record{(count == 1 ? string.Empty : "s")}");

    /// <summary>"file, line L, column C" with the parts that apply, for the start of messages.</summary>
    internal static string Where(string file, long line, int column) => (line, column) switch
    {
        (0, _) => file,
        (_, 0) => string.Create(CultureInfo.InvariantCulture, $"{file}, line {line}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{file}, line {line}, column {column}"),
    };
}

/// <summary>A file that cannot be read as its object at all: no key column, a header that cannot be parsed.</summary>
public sealed class ExportLayoutException : ExportInputException
{
    public ExportLayoutException()
    {
    }

    public ExportLayoutException(string message)
        : base(message)
    {
    }

    public ExportLayoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ExportLayoutException(string file, string message)
        : base(file, 0, 0, message)
    {
    }

    public ExportLayoutException(string file, long line, int column, string message)
        : base(file, line, column, message)
    {
    }
}

/// <summary>
/// A file whose format is broken past the point where reading can go on: a workbook that does not open, JSON whose
/// structure breaks. Nothing of the file is used, so a run never migrates half a file without saying so.
/// </summary>
public sealed class ExportFormatException : ExportInputException
{
    public ExportFormatException()
    {
    }

    public ExportFormatException(string message)
        : base(message)
    {
    }

    public ExportFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ExportFormatException(string file, long line, int column, long recordsRead, string message, Exception? innerException = null)
        : base(file, line, column, message, innerException)
    {
        RecordsRead = recordsRead;
    }

    /// <summary>How many records had been read before the error.</summary>
    public long RecordsRead { get; }
}

/// <summary>A text file whose encoding cannot be decided, or that does not decode to plausible text.</summary>
public sealed class ExportEncodingException : ExportInputException
{
    public ExportEncodingException()
    {
    }

    public ExportEncodingException(string message)
        : base(message)
    {
    }

    public ExportEncodingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ExportEncodingException(string file, long line, int column, string message)
        : base(file, line, column, message)
    {
    }
}

/// <summary>An export folder that holds nothing the pair's layout can read.</summary>
public sealed class ExportFolderException : ExportInputException
{
    public ExportFolderException()
    {
    }

    public ExportFolderException(string message)
        : base(message)
    {
    }

    public ExportFolderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ExportFolderException(string folder, string message)
        : base(folder, 0, 0, message)
    {
    }
}
