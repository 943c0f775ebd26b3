using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Flit.Core.Records;
using Flit.Core.Sources;

namespace Flit.Sources.Readers;

/// <summary>
/// Streams the objects of a JSON export: a top-level array of objects, a Solr response
/// (<c>{"response": {"docs": [...]}}</c>, as ArkCase's REST search returns) or JSON Lines. Nested objects become
/// <c>parent.child</c> columns, arrays of scalars one value joined with <c>|</c>, other arrays their JSON text.
/// </summary>
/// <remarks>
/// JSON has no header, and every record of a file shares one schema, so the file is read twice: a first pass
/// collects the property names (nothing else is kept), the second yields the records. The source column number of
/// a property is its order of first appearance.
/// </remarks>
internal static class JsonExportReader
{
    public static async IAsyncEnumerable<SourceRecord> ReadAsync(ExportFile export, ObjectLayout layout, DetectedEncoding encoding, IReadProblemSink problems, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = export.Name;
        var names = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var scan = new JsonObjectStream(new JsonTokenizer(await Utf8Input.OpenAsync(export, encoding, cancellationToken)), file, NullSink.Instance))
        {
            while (scan.TryNext(out var fields, out _))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var (name, _) in fields)
                {
                    if (index.TryAdd(name, names.Count))
                    {
                        names.Add(name);
                    }
                }
            }
        }

        if (names.Count == 0)
        {
            problems.Report(new ReadProblem(file, 1, 0, "The file holds no objects. Expected an array of objects, a {\"response\": {\"docs\": [...]}} wrapper or one object per line."));
            yield break;
        }

        var schema = SchemaBuilder.Build([.. names.Select((n, i) => (n, i + 1))], layout, file, 1, problems);
        using var stream = new JsonObjectStream(new JsonTokenizer(await Utf8Input.OpenAsync(export, encoding, cancellationToken)), file, problems);
        while (stream.TryNext(out var fields, out var line))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = new string?[names.Count];
            var any = false;
            foreach (var (name, value) in fields)
            {
                if (!string.IsNullOrEmpty(value) && index.TryGetValue(name, out var i))
                {
                    values[i] = value;
                    any = true;
                }
            }

            if (any)
            {
                yield return RecordFactory.Create(schema, values, file, line, problems);
            }
        }
    }

    private sealed class NullSink : IReadProblemSink
    {
        public static readonly NullSink Instance = new();

        public void Report(ReadProblem problem)
        {
        }
    }
}

/// <summary>The objects of a JSON export one at a time, each flattened to (column, value) pairs.</summary>
internal sealed class JsonObjectStream(JsonTokenizer tokens, string file, IReadProblemSink problems) : IDisposable
{
    private const string Expected = "Expected an array of objects, a {\"response\": {\"docs\": [...]}} wrapper or one object per line";

    // The text is a value for people and the mapping, not for a web page: keep "+", accents and the like readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private Mode _mode = Mode.Start;
    private long _records;
    private readonly List<(string Name, string? Value)> _fields = [];

    private enum Mode
    {
        Start,
        Array,
        Docs,
        Lines,
        Done,
    }

    /// <summary>
    /// The next object. A malformed line of JSON Lines is reported and skipped, as a bad CSV line is; JSON whose
    /// structure breaks (inside the top-level array or object) leaves nothing to resume from, so it stops the file.
    /// </summary>
    /// <exception cref="ExportFormatException">The document is malformed beyond one line, or is not records at all.</exception>
    public bool TryNext(out List<(string Name, string? Value)> fields, out long line)
    {
        fields = _fields;
        while (true)
        {
            try
            {
                if (Next(out line))
                {
                    _records++;
                    return true;
                }

                return false;
            }
            catch (JsonException error)
            {
                var (errorLine, column) = tokens.ErrorPosition(error);
                var lines = _mode == Mode.Lines || (_mode == Mode.Start && _fields.Count > 0);
                var position = (int)Math.Min(column, int.MaxValue);
                if (!lines)
                {
                    throw new ExportFormatException(file, errorLine, position, _records, string.Create(
                        CultureInfo.InvariantCulture,
                        $"{ExportInputException.Where(file, errorLine, position)}: malformed JSON after {ExportInputException.Records(_records)}: {FirstSentence(error.Message)} Nothing of the file is used: correct it there or export it again."), error);
                }

                problems.Report(new ReadProblem(file, errorLine, position, $"Malformed JSON: {FirstSentence(error.Message)} The line is skipped."));
                _mode = Mode.Lines;
                tokens.SkipPastLine(errorLine);
            }
        }
    }

    public void Dispose() => tokens.Dispose();

    private bool Next(out long line)
    {
        _fields.Clear();
        line = 0;
        while (true)
        {
            switch (_mode)
            {
                case Mode.Done:
                    return false;
                case Mode.Start:
                    if (!tokens.Read())
                    {
                        _mode = Mode.Done;
                        return false;
                    }

                    if (tokens.TokenType == JsonTokenType.StartArray)
                    {
                        _mode = Mode.Array;
                        continue;
                    }

                    if (tokens.TokenType != JsonTokenType.StartObject)
                    {
                        var at = ExportInputException.Where(file, tokens.TokenLine, (int)tokens.TokenColumn);
                        throw new ExportFormatException(file, tokens.TokenLine, (int)tokens.TokenColumn, _records, $"{at}: the JSON document is a {Describe(tokens.TokenType)}, not records. {Expected}.");
                    }

                    line = tokens.TokenLine;
                    if (ReadTopObject())
                    {
                        _mode = Mode.Docs;
                        _fields.Clear();
                        continue;
                    }

                    _mode = Mode.Lines;
                    return true;
                default:
                    if (!tokens.Read() || tokens.TokenType == JsonTokenType.EndArray)
                    {
                        _mode = Mode.Done;
                        return false;
                    }

                    if (tokens.TokenType != JsonTokenType.StartObject)
                    {
                        problems.Report(new ReadProblem(file, tokens.TokenLine, (int)tokens.TokenColumn, $"Found a {Describe(tokens.TokenType)} where a record was expected; it is skipped. Expected an object."));
                        SkipValue();
                        continue;
                    }

                    line = tokens.TokenLine;
                    ReadObject(prefix: null);
                    return true;
            }
        }
    }

    /// <summary>Reads the first top-level object; returns true when it is a Solr wrapper positioned inside <c>docs</c>.</summary>
    private bool ReadTopObject()
    {
        while (Next() == JsonTokenType.PropertyName)
        {
            var name = tokens.Value!;
            Next();
            if (name == "response" && tokens.TokenType == JsonTokenType.StartObject)
            {
                while (Next() == JsonTokenType.PropertyName)
                {
                    var inner = tokens.Value!;
                    Next();
                    if (inner == "docs" && tokens.TokenType == JsonTokenType.StartArray)
                    {
                        return true;
                    }

                    SkipValue();
                }

                continue;
            }

            ReadValue(name);
        }

        return false;
    }

    private void ReadObject(string? prefix)
    {
        while (Next() == JsonTokenType.PropertyName)
        {
            var name = prefix is null ? tokens.Value! : prefix + "." + tokens.Value;
            Next();
            ReadValue(name);
        }
    }

    /// <summary>Flattens the value whose first token has just been read.</summary>
    private void ReadValue(string name)
    {
        switch (tokens.TokenType)
        {
            case JsonTokenType.StartObject:
                ReadObject(name);
                break;
            case JsonTokenType.StartArray:
                _fields.Add((name, ReadArray()));
                break;
            default:
                _fields.Add((name, tokens.Value));
                break;
        }
    }

    /// <summary>Scalars joined with <c>|</c>; an array holding objects or arrays is kept as its JSON text.</summary>
    private string? ReadArray()
    {
        var scalars = new List<string>();
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, WriterOptions))
        {
            writer.WriteStartArray();
            var depth = 1;
            var nested = false;
            while (depth > 0)
            {
                var token = Next();
                switch (token)
                {
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        depth++;
                        nested = true;
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        depth++;
                        nested = true;
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        depth--;
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        depth--;
                        break;
                    case JsonTokenType.PropertyName:
                        writer.WritePropertyName(tokens.Value!);
                        break;
                    case JsonTokenType.String:
                        writer.WriteStringValue(tokens.Value);
                        AddScalar(scalars, depth);
                        break;
                    case JsonTokenType.Number:
                        writer.WriteRawValue(tokens.Value!, skipInputValidation: true);
                        AddScalar(scalars, depth);
                        break;
                    case JsonTokenType.True or JsonTokenType.False:
                        writer.WriteBooleanValue(tokens.TokenType == JsonTokenType.True);
                        AddScalar(scalars, depth);
                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                }
            }

            writer.Flush();
            if (!nested)
            {
                return scalars.Count == 0 ? null : string.Join('|', scalars);
            }
        }

        return Encoding.UTF8.GetString(json.WrittenSpan);
    }

    private void AddScalar(List<string> scalars, int depth)
    {
        if (depth == 1 && !string.IsNullOrEmpty(tokens.Value))
        {
            scalars.Add(tokens.Value);
        }
    }

    private void SkipValue()
    {
        if (tokens.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        var depth = 1;
        while (depth > 0)
        {
            switch (Next())
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    depth--;
                    break;
            }
        }
    }

    /// <summary>Reads a token that must exist: the input ending inside a value is malformed JSON.</summary>
    private JsonTokenType Next()
    {
        if (!tokens.Read())
        {
            throw new JsonException("The input ends inside an object or array. Expected its closing bracket.", null, null, null);
        }

        return tokens.TokenType;
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "array",
        _ => type.ToString(),
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
