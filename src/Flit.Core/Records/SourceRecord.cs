namespace Flit.Core.Records;

/// <summary>One row of a source export: values by schema position, its source id and where it came from.</summary>
public sealed class SourceRecord
{
    private readonly string?[] _values;

    public SourceRecord(RecordSchema schema, string sourceId, string?[] values, SourceLocation location)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(values);
        Schema = schema;
        SourceId = sourceId;
        _values = values;
        Location = location;
    }

    public RecordSchema Schema { get; }

    public string ObjectType => Schema.ObjectType;

    /// <summary>The source system's own id for the record (the layout's key column); stable across exports.</summary>
    public string SourceId { get; }

    public SourceLocation Location { get; }

    public int Count => _values.Length;

    /// <summary>The value of a column, or null when the column is absent or the cell is empty.</summary>
    public string? this[string column]
    {
        get
        {
            var i = Schema.IndexOf(column);
            return i < 0 ? null : _values[i];
        }
    }

    public string? this[int index] => _values[index];

    /// <summary>A "file, line L, column C" reference for a value of this record, for error messages.</summary>
    public string Where(string column)
    {
        var i = Schema.IndexOf(column);
        return i < 0 ? Location.ToString() : Location.At(Schema.SourceColumnNumbers[i]);
    }

    public IReadOnlyList<string?> Values => _values;
}
