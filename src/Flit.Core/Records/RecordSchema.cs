namespace Flit.Core.Records;

/// <summary>
/// The columns of one export file after header normalisation. Shared by every record of the file so a record is
/// just an array of values: that keeps memory flat and per-record cost low on million-row exports.
/// </summary>
public sealed class RecordSchema
{
    private readonly Dictionary<string, int> _index;

    /// <param name="objectType">Layout object name, e.g. <c>person</c>.</param>
    /// <param name="file">The file the schema was read from.</param>
    /// <param name="columns">Canonical column names (the documented names, or the header as found for unknown columns).</param>
    /// <param name="sourceColumnNumbers">1-based column number in the file for each entry of <paramref name="columns"/>.</param>
    public RecordSchema(string objectType, string file, IReadOnlyList<string> columns, IReadOnlyList<int> sourceColumnNumbers)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(sourceColumnNumbers);
        if (columns.Count != sourceColumnNumbers.Count)
        {
            throw new ArgumentException("Every column needs its source column number.", nameof(sourceColumnNumbers));
        }

        ObjectType = objectType;
        File = file;
        Columns = columns;
        SourceColumnNumbers = sourceColumnNumbers;
        _index = new Dictionary<string, int>(columns.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Count; i++)
        {
            _index.TryAdd(columns[i], i);
        }
    }

    public string ObjectType { get; }

    public string File { get; }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<int> SourceColumnNumbers { get; }

    /// <summary>Index of a column by canonical name (case-insensitive), or -1 when the export does not have it.</summary>
    public int IndexOf(string column) => _index.TryGetValue(column, out var i) ? i : -1;

    public bool Contains(string column) => _index.ContainsKey(column);
}
