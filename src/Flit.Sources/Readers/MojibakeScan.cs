namespace Flit.Sources.Readers;

/// <summary>
/// Looks for signs that text decoded as Windows-1252 is really in another encoding. Western text in Windows-1252 has
/// its accented letters inside words and its symbols (€ £ ° « ») beside spaces, digits or ASCII. Bytes of a
/// double-byte encoding (Shift_JIS, EUC-KR, GBK) or of another code page (Cyrillic, Greek) read as Windows-1252 give
/// other shapes, each one a sign:
/// <list type="bullet">
/// <item>two non-ASCII characters side by side, one of them a symbol (<c>‘¾</c>, <c>±è</c>);</item>
/// <item>a non-ASCII symbol squeezed between two letters (<c>R“c</c>);</item>
/// <item>a run of four or more non-ASCII characters (<c>ÀîÄÈ</c>, <c>Ñìèðíîâà</c>) — no Western word has one.</item>
/// </list>
/// Punctuation Western text really puts between letters (’ ´ · – — and no-break space) is not a symbol here.
/// </summary>
internal sealed class MojibakeScan
{
    private const int SampleLength = 24;

    private readonly char[] _recent = new char[SampleLength];
    private int _recentCount;
    private int _recentNext;
    private char _previous;
    private char _beforePrevious;
    private int _run;

    /// <summary>How many signs were seen.</summary>
    public long Signs { get; private set; }

    /// <summary>How many non-ASCII characters were seen.</summary>
    public long NonAscii { get; private set; }

    public long FirstLine { get; private set; }

    public int FirstColumn { get; private set; }

    /// <summary>The text just before and at the first sign, as it would be read.</summary>
    public string Sample { get; private set; } = string.Empty;

    /// <summary>
    /// Signs enough to refuse the file even when no double-byte encoding decodes it: at least three, and one for every
    /// twenty non-ASCII characters (text in another code page shows one in nearly every word; a Western file with a
    /// stray “É shows a few among thousands of accents).
    /// </summary>
    public bool LooksLikeAnotherCodePage => Signs >= 3 && Signs * 20 >= NonAscii;

    public void Observe(char c, TextPosition position)
    {
        Remember(c);
        var nonAscii = c >= '\u0080';
        if (nonAscii)
        {
            NonAscii++;
            _run++;
            if (_run == 4)
            {
                Sign(position);
            }
            else if (_previous >= '\u0080' && (IsSymbol(c) || IsSymbol(_previous)))
            {
                Sign(position);
            }
        }
        else
        {
            _run = 0;
        }

        if (char.IsLetter(c) && IsSymbol(_previous) && char.IsLetter(_beforePrevious))
        {
            Sign(position);
        }

        _beforePrevious = _previous;
        _previous = c;
    }

    private static bool IsSymbol(char c) =>
        c >= '\u0080' && !char.IsLetter(c) && c is not ('\u00A0' or '\u00B4' or '\u00B7' or '\u2013' or '\u2014' or '\u2019');

    private void Sign(TextPosition position)
    {
        if (Signs++ == 0)
        {
            FirstLine = position.Line;
            FirstColumn = position.Column;
            var start = (_recentNext - _recentCount + SampleLength) % SampleLength;
            Sample = string.Concat(Enumerable.Range(0, _recentCount).Select(i => _recent[(start + i) % SampleLength]));
        }
    }

    private void Remember(char c)
    {
        if (c is '\r' or '\n')
        {
            _recentCount = 0; // the sample stays on the sign's line
            return;
        }

        // A ring: the file's every character passes here.
        _recent[_recentNext] = char.IsControl(c) ? '?' : c;
        _recentNext = (_recentNext + 1) % SampleLength;
        _recentCount = Math.Min(_recentCount + 1, SampleLength);
    }
}
