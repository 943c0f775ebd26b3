using System.Buffers;
using System.Text.Json;
using Flit.Core.Records;

namespace Flit.Activities.Partitioning;

/// <summary>
/// A staged batch: JSON Lines, a header line with the schema, then one line per source record (id, file, line,
/// values). Batches carry the raw source values, not mapped ones: mapping runs at load time, after parents exist, so
/// the approved spec is the only thing that decides what is sent.
/// </summary>
/// <remarks>
/// Every record of a run is written here once and read at least once, so rows are written and read with the UTF-8
/// JSON writer and reader directly: no intermediate strings or documents per line.
/// </remarks>
public static class BatchFile
{
    private sealed record Header(string Object, string File, IReadOnlyList<string> Columns, IReadOnlyList<int> SourceColumns);

    private const int FlushAt = 64 * 1024;

    /// <summary>Writes records (all of one object) to a stream.</summary>
    public static async Task WriteAsync(Stream stream, IReadOnlyList<SourceRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(records);
        using var lines = new BatchLines(FlushAt * 2);
        foreach (var record in records)
        {
            lines.Add(record);
            if (lines.Bytes >= FlushAt)
            {
                await stream.WriteAsync(lines.Content, cancellationToken);
                lines.Drain();
            }
        }

        await stream.WriteAsync(lines.Content, cancellationToken);
    }

    /// <summary>
    /// Batch lines built in memory a record at a time, as compact UTF-8 (a few hundred bytes a row, a fraction of the
    /// row as objects): what a partition bucket holds until it is written out.
    /// </summary>
    public sealed class BatchLines(int initialBytes = 4096) : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(initialBytes);
        private Utf8JsonWriter? _writer;
        private RecordSchema? _schema;

        /// <summary>Records added.</summary>
        public int Count { get; private set; }

        /// <summary>Bytes not yet drained.</summary>
        public int Bytes => _buffer.WrittenCount;

        public ReadOnlyMemory<byte> Content => _buffer.WrittenMemory;

        public void Add(SourceRecord record)
        {
            ArgumentNullException.ThrowIfNull(record);
            var writer = _writer ??= new Utf8JsonWriter(_buffer);
            if (!ReferenceEquals(_schema, record.Schema))
            {
                _schema = record.Schema;
                JsonSerializer.Serialize(writer, new Header(_schema.ObjectType, _schema.File, _schema.Columns, _schema.SourceColumnNumbers), JsonDefaults.Compact);
                EndLine(writer);
            }

            WriteRow(writer, record);
            EndLine(writer);
            Count++;
        }

        /// <summary>Forgets the bytes written out so far; the lines that follow continue the same schema.</summary>
        public void Drain() => _buffer.ResetWrittenCount();

        public void Dispose() => _writer?.Dispose();

        /// <summary>Ends a line: one JSON value per line, so the writer starts afresh on the next.</summary>
        private void EndLine(Utf8JsonWriter writer)
        {
            writer.Flush();
            _buffer.Write("\n"u8);
            writer.Reset(_buffer);
        }
    }

    private static void WriteRow(Utf8JsonWriter writer, SourceRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, record.SourceId);
        writer.WriteString("file"u8, record.Location.File);
        writer.WriteNumber("line"u8, record.Location.Line);
        writer.WriteStartArray("values"u8);
        foreach (var value in record.Values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads a batch back into source records with their original file, line and columns.</summary>
    public static async Task<IReadOnlyList<SourceRecord>> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var content = new MemoryStream();
        await stream.CopyToAsync(content, cancellationToken);
        return Parse(content.GetBuffer().AsSpan(0, (int)content.Length));
    }

    private static List<SourceRecord> Parse(ReadOnlySpan<byte> content)
    {
        var records = new List<SourceRecord>();
        var values = new List<string?>();
        RecordSchema? schema = null;
        var lineNumber = 0;
        while (!content.IsEmpty)
        {
            var end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            lineNumber++;
            if (line.IsEmpty)
            {
                continue;
            }

            try
            {
                if (ReadRow(line, schema, values, lineNumber) is { } record)
                {
                    records.Add(record);
                    continue;
                }

                var header = JsonSerializer.Deserialize<Header>(line, JsonDefaults.Compact)
                    ?? throw new InvalidDataException($"Batch line {lineNumber}: empty header.");
                schema = new RecordSchema(header.Object, header.File, header.Columns, header.SourceColumns);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"Batch line {lineNumber}: {e.Message}", e);
            }
        }

        return records;
    }

    /// <summary>A record line as a record; null for a header line (it holds the columns).</summary>
    private static SourceRecord? ReadRow(ReadOnlySpan<byte> line, RecordSchema? schema, List<string?> values, int lineNumberInBatch)
    {
        var reader = new Utf8JsonReader(line);
        reader.Read();
        string? id = null, file = null;
        long lineNumber = 0;
        string?[]? row = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("columns"u8))
            {
                return null;
            }

            var name = reader.ValueTextEquals("id"u8) ? 1 : reader.ValueTextEquals("file"u8) ? 2 : reader.ValueTextEquals("line"u8) ? 3 : reader.ValueTextEquals("values"u8) ? 4 : 0;
            reader.Read();
            switch (name)
            {
                case 1:
                    id = reader.GetString();
                    break;
                case 2:
                    // Rows of a file share its name: one string for all of them.
                    file = schema is not null && reader.ValueTextEquals(schema.File) ? schema.File : reader.GetString();
                    break;
                case 3:
                    lineNumber = reader.GetInt64();
                    break;
                case 4:
                    values.Clear();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        values.Add(reader.TokenType == JsonTokenType.Null ? null : reader.GetString());
                    }

                    row = [.. values];
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (schema is null)
        {
            throw new InvalidDataException($"Batch line {lineNumberInBatch}: a record comes before any schema header.");
        }

        if (id is null || file is null || row is null)
        {
            throw new InvalidDataException($"Batch line {lineNumberInBatch}: a record line needs id, file, line and values.");
        }

        return new SourceRecord(schema, id, row, new SourceLocation(file, lineNumber));
    }
}
