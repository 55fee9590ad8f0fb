using System.Globalization;
using System.Text.RegularExpressions;

namespace Gocker.Core.Logs;

public sealed record LogsOptions(bool Follow, int? Tail, bool Timestamps, DateTimeOffset? Since);

public static partial class LogsTime
{
    [GeneratedRegex(@"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex GoDurationPart();

    /// <summary>Docker's --since: an RFC 3339 time, a unix timestamp (seconds[.nanos]), or a Go
    /// duration relative to now ("10m", "1h30m").</summary>
    public static DateTimeOffset ParseSince(string value, DateTimeOffset now)
    {
        if (GoDuration().IsMatch(value))
        {
            double seconds = 0;
            foreach (Match m in GoDurationPart().Matches(value))
            {
                double n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                seconds += m.Groups[2].Value switch
                {
                    "h" => n * 3600, "m" => n * 60, "s" => n, "ms" => n / 1e3, "us" or "µs" => n / 1e6, _ => n / 1e9,
                };
            }
            return now.AddSeconds(-seconds);
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var unix))
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(unix * 1000));
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            return t;
        throw new GockerException($"invalid value for \"since\": failed to parse value as time or duration: \"{value}\"");
    }

    /// <summary>RFC 3339 with nanoseconds, as Docker's `logs -t` prints.</summary>
    public static string Rfc3339Nano(long unixNs)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(unixNs / 1_000_000_000).UtcDateTime;
        return $"{t:yyyy-MM-ddTHH:mm:ss}.{unixNs % 1_000_000_000:D9}Z";
    }
}
