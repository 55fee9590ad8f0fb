using System.Globalization;

namespace Gocker.Core.Formatting;

/// <summary>Go's time formats that Docker shows.</summary>
public static class GoTime
{
    /// <summary>The zero time as Docker's API writes it, for unset StartedAt/FinishedAt.</summary>
    public const string ZeroRfc3339 = "0001-01-01T00:00:00Z";

    /// <summary>Go's <c>time.Time.String()</c> without the monotonic part:
    /// <c>2006-01-02 15:04:05.999999999 -0700 MST</c>, in <paramref name="zone"/>.</summary>
    public static string String(DateTimeOffset t, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(t, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        var numeric = $"{sign}{abs.Hours:00}{abs.Minutes:00}";
        return local.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.')
               + " " + numeric + " " + ZoneName(zone, local, numeric);
    }

    private static string ZoneName(TimeZoneInfo zone, DateTimeOffset local, string numeric)
    {
        if (local.Offset == TimeSpan.Zero && (zone.Id is "UTC" or "Etc/UTC" or "Universal" or "Zulu" || zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime))
            return "UTC";
        var name = zone.IsDaylightSavingTime(local) ? zone.DaylightName : zone.StandardName;
        // Go prints the tzdata abbreviation (CET, EDT); without one it repeats the offset.
        return name.Length is > 0 and <= 6 && !name.Contains(' ') ? name : numeric;
    }

    /// <summary>RFC 3339 with nanoseconds as Go writes it (<c>time.RFC3339Nano</c>) in UTC, with
    /// trailing zeros of the fraction dropped; <see cref="ZeroRfc3339"/> for null or the zero time.</summary>
    public static string Rfc3339Nano(DateTimeOffset? t)
    {
        if (t is null || t.Value == default || t.Value.UtcDateTime == DateTime.MinValue) return ZeroRfc3339;
        var s = t.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return s.TrimEnd('.') + "Z";
    }
}
