using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>docker/go-units <c>HumanDuration</c>: the approximate durations of `docker ps`
/// ("Up 5 seconds", "Exited (0) About a minute ago").</summary>
public static class HumanDuration
{
    /// <summary>Bytes enough for any <see cref="FormatUtf8"/> result.</summary>
    internal const int MaxUtf8Length = 32;

    /// <summary>Same thresholds and truncation as go-units (hours are rounded, every other unit
    /// truncated; a negative duration, e.g. from clock skew, is "Less than a second").</summary>
    public static string Format(TimeSpan d)
    {
        Span<byte> text = stackalloc byte[MaxUtf8Length];
        return Encoding.ASCII.GetString(text[..FormatUtf8(d, text)]);
    }

    /// <summary><see cref="Format"/> as ASCII bytes into <paramref name="dest"/> (at least
    /// <see cref="MaxUtf8Length"/> bytes); returns the length. The one implementation of both.</summary>
    internal static int FormatUtf8(TimeSpan d, Span<byte> dest)
    {
        // Go converts with int(d.Seconds()) etc., which truncates toward zero.
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1) return Put(dest, "Less than a second"u8);
        if (seconds == 1) return Put(dest, "1 second"u8);
        if (seconds < 60) return Count(dest, seconds, " seconds"u8);

        var minutes = (long)d.TotalMinutes;
        if (minutes == 1) return Put(dest, "About a minute"u8);
        if (minutes < 60) return Count(dest, minutes, " minutes"u8);

        var hours = (long)(d.TotalHours + 0.5);
        if (hours == 1) return Put(dest, "About an hour"u8);
        if (hours < 48) return Count(dest, hours, " hours"u8);
        if (hours < 24 * 7 * 2) return Count(dest, hours / 24, " days"u8);
        if (hours < 24 * 30 * 2) return Count(dest, hours / 24 / 7, " weeks"u8);
        if (hours < 24 * 365 * 2) return Count(dest, hours / 24 / 30, " months"u8);
        return Count(dest, (long)d.TotalHours / 24 / 365, " years"u8);
    }

    /// <summary>The time from <paramref name="since"/> to <paramref name="now"/>, formatted.</summary>
    public static string Since(DateTimeOffset since, DateTimeOffset now) => Format(now - since);

    private static int Put(Span<byte> dest, ReadOnlySpan<byte> text)
    {
        text.CopyTo(dest);
        return text.Length;
    }

    private static int Count(Span<byte> dest, long n, ReadOnlySpan<byte> unit)
    {
        int len = GoNumber.Format(n, dest);
        unit.CopyTo(dest[len..]);
        return len + unit.Length;
    }
}

/// <summary>Decimal integers as ASCII without culture (what Go's %d and strconv.Itoa print).</summary>
internal static class GoNumber
{
    /// <summary>Writes <paramref name="n"/> in decimal ('-' for negatives); returns the length (at most 20).</summary>
    public static int Format(long n, Span<byte> dest)
    {
        ulong u = n < 0 ? (ulong)(-(n + 1)) + 1 : (ulong)n;
        Span<byte> digits = stackalloc byte[20];
        int i = digits.Length;
        do
        {
            digits[--i] = (byte)('0' + (int)(u % 10));
            u /= 10;
        } while (u != 0);
        int len = 0;
        if (n < 0) dest[len++] = (byte)'-';
        digits[i..].CopyTo(dest[len..]);
        return len + digits.Length - i;
    }
}
