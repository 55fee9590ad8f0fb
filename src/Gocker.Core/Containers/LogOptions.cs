using System.Globalization;

namespace Gocker.Core.Containers;

/// <summary>--log-opt max-size=SIZE and max-file=N (Docker's json-file options; defaults 10 MiB x 3).</summary>
public static class LogOptions
{
    public const long DefaultMaxSize = 10L << 20;
    public const int DefaultMaxFiles = 3;

    public static (long MaxSize, int MaxFiles) Parse(IEnumerable<string> options)
    {
        long size = DefaultMaxSize;
        int files = DefaultMaxFiles;
        foreach (var opt in options)
        {
            int eq = opt.IndexOf('=');
            var (key, value) = eq < 0 ? (opt, "") : (opt[..eq], opt[(eq + 1)..]);
            switch (key)
            {
                case "max-size":
                    size = ByteSize.Parse(value, "max-size");
                    if (size <= 0) throw new GockerException($"invalid value for log option max-size: {value}");
                    break;
                case "max-file":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out files) || files < 1)
                        throw new GockerException($"invalid value for log option max-file: {value}");
                    break;
                default:
                    throw new GockerException($"unknown log opt '{key}' for json-file log driver");
            }
        }
        return (size, files);
    }
}

/// <summary>Docker's size syntax: 1024, 10k, 10m, 1g (binary multiples), "b" optional.</summary>
public static class ByteSize
{
    public static long Parse(string value, string what)
    {
        var v = value.Trim().ToLowerInvariant();
        if (v.EndsWith('b') && v.Length > 1 && !char.IsDigit(v[^2]))
            v = v[..^1];
        long mult = 1;
        if (v.Length > 0 && v[^1] is 'k' or 'm' or 'g' or 't')
        {
            mult = v[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, _ => 1L << 40 };
            v = v[..^1];
        }
        else if (v.EndsWith('b'))
            v = v[..^1];
        if (!double.TryParse(v, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new GockerException($"invalid size for {what}: '{value}'");
        return (long)(n * mult);
    }
}
