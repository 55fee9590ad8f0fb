namespace Gocker.Core.Formatting;

/// <summary>docker/go-units <c>HumanDuration</c>: the approximate durations of `docker ps`
/// ("Up 5 seconds", "Exited (0) About a minute ago").</summary>
public static class HumanDuration
{
    /// <summary>Same thresholds and truncation as go-units (hours are rounded, every other unit
    /// truncated; a negative duration, e.g. from clock skew, is "Less than a second").</summary>
    public static string Format(TimeSpan d)
    {
        // Go converts with int(d.Seconds()) etc., which truncates toward zero.
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";

        var minutes = (long)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";

        var hours = (long)(d.TotalHours + 0.5);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{(long)d.TotalHours / 24 / 365} years";
    }

    /// <summary>The time from <paramref name="since"/> to <paramref name="now"/>, formatted.</summary>
    public static string Since(DateTimeOffset since, DateTimeOffset now) => Format(now - since);
}
