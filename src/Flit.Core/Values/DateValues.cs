using System.Globalization;

namespace Flit.Core.Values;

/// <summary>Which part comes first in a slash or space date like 03/04/2025.</summary>
public enum DateOrder
{
    DayFirst,
    MonthFirst,
}

/// <summary>
/// Parses the date shapes real exports hold: ISO 8601 (with or without time, offset or Z), dd/MM/yyyy or MM/dd/yyyy
/// (by the file's <see cref="DateOrder"/>), dd MM yyyy, dd.MM.yyyy, yyyy/MM/dd, with optional time, and Excel serial
/// numbers. An impossible date (31/02) is an error, never a silent guess.
/// </summary>
public static class DateValues
{
    private static readonly DateTime ExcelEpoch = new(1899, 12, 30, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>Parses a local or offset date-time; offsets are honoured, local times stay unspecified.</summary>
    public static bool TryParse(string? text, DateOrder order, out DateTimeOffset? offsetValue, out DateTime local, out string? error)
    {
        offsetValue = null;
        local = default;
        error = null;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            error = "empty";
            return false;
        }

        if (value.Length >= 10 && char.IsAsciiDigit(value[0]) && value[4] == '-')
        {
            if (value.Length > 10 && (value.EndsWith('Z') || HasOffset(value))
                && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            {
                offsetValue = withOffset;
                return true;
            }

            if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out local))
            {
                return true;
            }

            error = $"'{value}' is not a valid ISO 8601 date";
            return false;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 2958466 && !value.Contains('/', StringComparison.Ordinal))
        {
            local = ExcelEpoch.AddDays(serial);
            return true;
        }

        var (datePart, timePart) = SplitTime(value);
        if (!TryThreeNumbers(datePart, out var first, out var second, out var third, out var firstLength, out var thirdLength))
        {
            error = $"'{value}' is not a date (expected ISO 8601, dd/MM/yyyy, MM/dd/yyyy, dd MM yyyy or an Excel serial)";
            return false;
        }

        int year, month, day;
        if (firstLength == 4)
        {
            (year, month, day) = (first, second, third);
        }
        else
        {
            year = third + (thirdLength == 2 ? (third < 50 ? 2000 : 1900) : 0);
            (day, month) = order == DateOrder.DayFirst ? (first, second) : (second, first);
        }

        if (month is < 1 or > 12 || day < 1 || year is < 1 or > 9999 || day > DateTime.DaysInMonth(year, month))
        {
            error = $"'{value}' is not a real date (day {day}, month {month}, year {year}, read {(order == DateOrder.DayFirst ? "day first" : "month first")})";
            return false;
        }

        var time = TimeSpan.Zero;
        if (timePart is not null && !TimeSpan.TryParse(timePart, CultureInfo.InvariantCulture, out time) && !TryParse12Hour(timePart, out time))
        {
            error = $"'{value}' has an unreadable time '{timePart}'";
            return false;
        }

        local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified) + time;
        return true;
    }

    /// <summary>A date-time as UTC: offsets honoured; local times read in the source's time zone.</summary>
    public static bool TryParseUtc(string? text, DateOrder order, TimeZoneInfo zone, out DateTime utc, out string? error)
    {
        ArgumentNullException.ThrowIfNull(zone);
        utc = default;
        if (!TryParse(text, order, out var offset, out var local, out error))
        {
            return false;
        }

        if (offset is { } o)
        {
            utc = o.UtcDateTime;
            return true;
        }

        if (zone.IsInvalidTime(local))
        {
            // A local time skipped by a DST change: clocks moved forward, so read it as the instant just after.
            local = local.AddHours(1);
        }

        utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
        return true;
    }

    /// <summary>A calendar date (no time zone conversion: a birthday is the same day everywhere).</summary>
    public static bool TryParseDate(string? text, DateOrder order, out DateOnly date, out string? error)
    {
        date = default;
        if (!TryParse(text, order, out var offset, out var local, out error))
        {
            return false;
        }

        date = DateOnly.FromDateTime(offset?.DateTime ?? local);
        return true;
    }

    /// <summary>Three runs of digits separated by '/', '.', '-' or spaces, without allocating (hot path of audits).</summary>
    internal static bool TryThreeNumbers(ReadOnlySpan<char> text, out int first, out int second, out int third, out int firstLength, out int thirdLength)
    {
        first = second = third = firstLength = thirdLength = 0;
        Span<int> numbers = stackalloc int[3];
        Span<int> lengths = stackalloc int[3];
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (count == 3)
                {
                    return false;
                }

                var start = i;
                var n = 0;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    if (i - start >= 4)
                    {
                        return false;
                    }

                    n = (n * 10) + (text[i] - '0');
                    i++;
                }

                numbers[count] = n;
                lengths[count++] = i - start;
            }
            else if (c is '/' or '.' or '-' or ' ')
            {
                i++;
            }
            else
            {
                return false;
            }
        }

        if (count != 3)
        {
            return false;
        }

        (first, second, third, firstLength, thirdLength) = (numbers[0], numbers[1], numbers[2], lengths[0], lengths[2]);
        return true;
    }

    private static bool HasOffset(string value)
    {
        var t = value.IndexOf('T', StringComparison.Ordinal);
        var tail = t < 0 ? value[Math.Min(10, value.Length)..] : value[t..];
        return tail.Contains('+', StringComparison.Ordinal) || tail.LastIndexOf('-') > 0;
    }

    private static (string Date, string? Time) SplitTime(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (value, null);
        }

        var space = value.LastIndexOf(' ', colon);
        return space < 0 ? (value, null) : (value[..space].Trim(), value[(space + 1)..].Trim());
    }

    private static readonly string[] TwelveHourFormats = ["h:mm tt", "h:mm:ss tt", "hh:mm tt", "hh:mm:ss tt"];

    private static bool TryParse12Hour(string text, out TimeSpan time)
    {
        var parsed = DateTime.TryParseExact(text, TwelveHourFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt);
        time = parsed ? dt.TimeOfDay : default;
        return parsed;
    }
}

/// <summary>
/// Decides a file's day/month order from all of its values: one value whose first part is over 12 proves day
/// first, one whose second part is over 12 proves month first; proof both ways is a contradiction to report.
/// </summary>
public sealed class DateOrderDetector
{
    private long _dayFirstEvidence;
    private long _monthFirstEvidence;

    public void Observe(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length < 6 || (text.Length >= 5 && text[4] == '-'))
        {
            return;
        }

        var space = text.IndexOf(' ', 6);
        var date = space > 0 && text.IndexOf(':', StringComparison.Ordinal) > space ? text.AsSpan(0, space) : text.AsSpan();
        if (!DateValues.TryThreeNumbers(date, out var a, out var b, out _, out var firstLength, out _) || firstLength > 2)
        {
            return;
        }

        if (a > 12 && b <= 12)
        {
            _dayFirstEvidence++;
        }
        else if (b > 12 && a <= 12)
        {
            _monthFirstEvidence++;
        }
    }

    public bool IsContradictory => _dayFirstEvidence > 0 && _monthFirstEvidence > 0;

    public long DayFirstEvidence => _dayFirstEvidence;

    public long MonthFirstEvidence => _monthFirstEvidence;

    /// <summary>The proven order, or the source's convention when no value proves either.</summary>
    public DateOrder Decide(DateOrder convention) =>
        _dayFirstEvidence > _monthFirstEvidence ? DateOrder.DayFirst
        : _monthFirstEvidence > _dayFirstEvidence ? DateOrder.MonthFirst
        : convention;
}
