using System.Text;
using System.Text.Json;
using Flit.Core.Records;

namespace Flit.Activities.Partitioning;

/// <summary>
/// A staged batch: JSON Lines, a header line with the schema, then one line per source record (id, line, values).
/// Batches carry the raw source values, not mapped ones: mapping runs at load time, after parents exist, so the
/// approved spec is the only thing that decides what is sent.
/// </summary>
public static class BatchFile
{
    private sealed record Header(string Object, string File, IReadOnlyList<string> Columns, IReadOnlyList<int> SourceColumns);

    private sealed record Row(string Id, string File, long Line, string?[] Values);

    /// <summary>Writes records (all of one object) to a stream.</summary>
    public static async Task WriteAsync(Stream stream, IReadOnlyList<SourceRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 65536, leaveOpen: true);
        RecordSchema? schema = null;
        foreach (var record in records)
        {
            if (!ReferenceEquals(schema, record.Schema))
            {
                schema = record.Schema;
                var header = new Header(schema.ObjectType, schema.File, schema.Columns, schema.SourceColumnNumbers);
                await writer.WriteLineAsync(JsonSerializer.Serialize(header, JsonDefaults.Compact).AsMemory(), cancellationToken);
            }

            var row = new Row(record.SourceId, record.Location.File, record.Location.Line, [.. record.Values]);
            await writer.WriteLineAsync(JsonSerializer.Serialize(row, JsonDefaults.Compact).AsMemory(), cancellationToken);
        }
    }

    /// <summary>Reads a batch back into source records with their original file, line and columns.</summary>
    public static async Task<IReadOnlyList<SourceRecord>> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var records = new List<SourceRecord>();
        RecordSchema? schema = null;
        string? line;
        var lineNumber = 0;
        while ((line = await reader.ReadLineAsync(cancellationToken)) is not null)
        {
            lineNumber++;
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("columns", out _))
            {
                var header = document.RootElement.Deserialize<Header>(JsonDefaults.Compact)
                    ?? throw new InvalidDataException($"Batch line {lineNumber}: empty header.");
                schema = new RecordSchema(header.Object, header.File, header.Columns, header.SourceColumns);
                continue;
            }

            if (schema is null)
            {
                throw new InvalidDataException($"Batch line {lineNumber}: a record comes before any schema header.");
            }

            var row = document.RootElement.Deserialize<Row>(JsonDefaults.Compact)
                ?? throw new InvalidDataException($"Batch line {lineNumber}: empty record.");
            records.Add(new SourceRecord(schema, row.Id, row.Values, new SourceLocation(row.File, row.Line)));
        }

        return records;
    }
}
