using System.Text;
using System.Text.Json;

namespace Flit.Sources.Readers;

/// <summary>
/// Pulls JSON tokens one at a time from a stream through <see cref="Utf8JsonReader"/> over a buffer that is refilled
/// (and grown only for a token larger than it), so a file is never loaded whole. Tracks the 1-based line and byte
/// column of every token by counting the line feeds it consumes.
/// </summary>
internal sealed class JsonTokenizer(Stream stream) : IDisposable
{
    private static readonly JsonReaderOptions Options = new()
    {
        AllowMultipleValues = true, // JSON Lines: one value after another
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private long _bufferOffset; // absolute offset of _buffer[0]
    private bool _final;
    private JsonReaderState _state = new(Options);
    private long _countedTo;
    private long _line = 1;
    private long _lineStart;
    private long _lineBase; // lines before the reader state was last reset (its own line numbers restart then)

    public JsonTokenType TokenType { get; private set; }

    /// <summary>The value of a string, number (as written), boolean or property name token; null for null.</summary>
    public string? Value { get; private set; }

    public long TokenLine { get; private set; }

    public long TokenColumn { get; private set; }

    /// <summary>Reads the next token; false at the end of the input.</summary>
    /// <exception cref="JsonException">Malformed JSON; <see cref="ErrorPosition"/> gives its line and column.</exception>
    public bool Read()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            if (reader.Read())
            {
                var tokenStart = _bufferOffset + _start + reader.TokenStartIndex;
                CountLines(tokenStart);
                TokenType = reader.TokenType;
                TokenLine = _line;
                TokenColumn = tokenStart - _lineStart + 1;
                Value = reader.TokenType switch
                {
                    JsonTokenType.String or JsonTokenType.PropertyName => reader.GetString(),
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    _ => null,
                };
                _start += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
                return true;
            }

            _start += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            if (_final)
            {
                return false;
            }

            Refill();
        }
    }

    /// <summary>The 1-based line and byte column of a reader error.</summary>
    public (long Line, long Column) ErrorPosition(JsonException error) =>
        error.LineNumber is { } line
            ? (_lineBase + line + 1, (error.BytePositionInLine ?? 0) + 1)
            : (TokenLine, TokenColumn); // raised by us (input ended inside a value): the last token read

    /// <summary>
    /// After an error in JSON Lines: drops everything up to the end of <paramref name="errorLine"/> and starts afresh
    /// on the next line.
    /// </summary>
    public void SkipPastLine(long errorLine)
    {
        while (true)
        {
            CountLines(_bufferOffset + _start);
            while (_line <= errorLine && _start < _end)
            {
                var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    _start = _end;
                    break;
                }

                _start += newline + 1;
                CountLines(_bufferOffset + _start);
            }

            if (_line > errorLine || _final)
            {
                break;
            }

            Refill();
        }

        _state = new JsonReaderState(Options);
        _lineBase = _line - 1;
    }

    public void Dispose() => stream.Dispose();

    private void Refill()
    {
        CountLines(_bufferOffset + _start);
        var pending = _end - _start;
        if (pending == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // a single token larger than the buffer
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }

        _bufferOffset += _start;
        _start = 0;
        _end = pending;
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _final = true;
        }

        _end += read;
    }

    /// <summary>Counts line feeds in the buffer up to absolute offset <paramref name="to"/>.</summary>
    private void CountLines(long to)
    {
        var from = Math.Max(_countedTo, _bufferOffset);
        if (to <= from)
        {
            return;
        }

        var span = _buffer.AsSpan((int)(from - _bufferOffset), (int)(to - from));
        var index = span.IndexOf((byte)'\n');
        while (index >= 0)
        {
            _line++;
            _lineStart = from + index + 1;
            var next = span[(index + 1)..].IndexOf((byte)'\n');
            index = next < 0 ? -1 : index + 1 + next;
        }

        _countedTo = to;
    }
}
