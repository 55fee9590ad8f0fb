using System.Text;
using Gocker.Core.Containers;
using Gocker.Core.Filesystem;

namespace Gocker.Core.Volumes;

/// <summary>`--mount type=bind|volume|tmpfs,source=..,target=..[,readonly][,...]` as Docker parses it
/// (docker/cli's MountOpt.Set, then moby's ValidateMountConfig). Keys that would need something gocker
/// does not build (volume drivers and their options, subpaths, non-recursive binds, propagation other
/// than rprivate) are refused by name.</summary>
public static class MountFlagParser
{
    /// <param name="bindSourceExists">Whether a host path exists (moby refuses a missing bind source
    /// for --mount, unlike -v).</param>
    public static MountSpec Parse(string raw, string cwd, Func<string, bool> bindSourceExists)
    {
        string type = MountType.Volume, source = "", target = "";
        bool readOnly = false, noCopy = false, volumeOptions = false, bindOptions = false, tmpfsOptions = false;
        long tmpfsSize = 0;
        uint tmpfsMode = 0;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in Csv(raw))
        {
            int eq = field.IndexOf('=');
            var key = (eq < 0 ? field : field[..eq]).ToLowerInvariant();
            var val = eq < 0 ? null : field[(eq + 1)..];
            if (val is null)
            {
                switch (key)
                {
                    case "readonly" or "ro": readOnly = true; continue;
                    case "volume-nocopy": noCopy = volumeOptions = true; continue;
                    case "bind-nonrecursive": throw Refused(raw, "bind-nonrecursive is not supported by gocker: binds are always recursive");
                    default: throw Bad(raw, $"invalid field '{field}' must be a key=value pair");
                }
            }
            switch (key)
            {
                case "type":
                    type = val.ToLowerInvariant();
                    break;
                case "source" or "src":
                    source = val.StartsWith("./", StringComparison.Ordinal) || val == "." ? MountPaths.Clean(Path.Combine(cwd, val)) : val;
                    break;
                case "target" or "dst" or "destination":
                    target = val;
                    break;
                case "readonly" or "ro":
                    readOnly = ParseBool(val) ?? throw Bad(raw, $"invalid value for {key}: {val}");
                    break;
                case "consistency":
                    break; // a Docker Desktop hint; nothing to do on Linux
                case "bind-propagation":
                    bindOptions = true;
                    if (val.ToLowerInvariant() is not ("private" or "rprivate"))
                        throw Refused(raw, $"bind-propagation={val} is not supported by gocker: every mount is rprivate");
                    break;
                case "bind-nonrecursive":
                    throw Refused(raw, "bind-nonrecursive is not supported by gocker: binds are always recursive");
                case "volume-nocopy":
                    volumeOptions = true;
                    noCopy = ParseBool(val) ?? throw Bad(raw, $"invalid value for volume-nocopy: {val}");
                    break;
                case "volume-label":
                    volumeOptions = true;
                    var (k, v) = val.IndexOf('=') is var i and >= 0 ? (val[..i], val[(i + 1)..]) : (val, "");
                    if (k.Length > 0)
                        labels[k] = v;
                    break;
                case "volume-driver":
                    volumeOptions = true;
                    if (val is not ("" or "local"))
                        throw Refused(raw, $"volume driver {val} is not supported by gocker (only local)");
                    break;
                case "volume-opt":
                    throw Refused(raw, "volume-opt is not supported by gocker: volumes are plain directories (the local driver without options)");
                case "volume-subpath":
                    throw Refused(raw, "volume-subpath is not supported by gocker");
                case "tmpfs-size":
                    tmpfsOptions = true;
                    try { tmpfsSize = ByteSize.Parse(val, key); }
                    catch (GockerException) { throw Bad(raw, $"invalid value for {key}: {val}"); }
                    break;
                case "tmpfs-mode":
                    tmpfsOptions = true;
                    try { tmpfsMode = Convert.ToUInt32(val, 8); }
                    catch (Exception e) when (e is FormatException or OverflowException or ArgumentException) { throw Bad(raw, $"invalid value for {key}: {val}"); }
                    break;
                default:
                    throw Bad(raw, $"unexpected key '{key}' in '{field}'");
            }
        }
        if (type.Length == 0)
            throw Bad(raw, "type is required");
        if (target.Length == 0)
            throw Bad(raw, "target is required");
        if (volumeOptions && type != MountType.Volume)
            throw Bad(raw, $"cannot mix 'volume-*' options with mount type '{type}'");
        if (bindOptions && type != MountType.Bind)
            throw Bad(raw, $"cannot mix 'bind-*' options with mount type '{type}'");
        if (tmpfsOptions && type != MountType.Tmpfs)
            throw Bad(raw, $"cannot mix 'tmpfs-*' options with mount type '{type}'");

        // moby's ValidateMountConfig, in its order.
        if (type is not (MountType.Bind or MountType.Volume or MountType.Tmpfs))
            throw Config(type, type == "image" ? "mount type image is not supported by gocker" : "mount type unknown");
        if (MountPaths.CheckDestination(target) is { } problem)
            throw Config(type, problem);
        var spec = new MountSpec { Type = type, Destination = MountPaths.Clean(target), ReadOnly = readOnly, Origin = MountOrigin.Mount };
        switch (type)
        {
            case MountType.Bind:
                if (source.Length == 0)
                    throw Config(type, "field Source must not be empty");
                if (!source.StartsWith('/'))
                    throw Config(type, $"invalid mount path: '{source}' mount path must be absolute");
                if (!bindSourceExists(source))
                    throw Config(type, $"bind source path does not exist: {source}");
                return spec with { Source = MountPaths.Clean(source) };
            case MountType.Volume:
                if (source.Length == 0 && readOnly)
                    throw Config(type, "must not set ReadOnly mode when using anonymous volumes");
                if (source.Length > 0)
                    VolumeNames.Validate(source);
                return spec with
                {
                    Source = source.Length > 0 ? source : null,
                    Anonymous = source.Length == 0,
                    NoCopy = noCopy,
                    VolumeLabels = labels.Count > 0 ? labels : null,
                };
            default:
                if (source.Length > 0)
                    throw Config(type, "field Source must not be specified");
                var flags = TmpfsOptions.Defaults | (readOnly ? MountFlags.ReadOnly : MountFlags.None);
                var data = new List<string>();
                if (tmpfsMode != 0)
                    data.Add("mode=" + Convert.ToString(tmpfsMode, 8));
                if (tmpfsSize != 0)
                    data.Add("size=" + SizeWithSuffix(tmpfsSize));
                return spec with { TmpfsFlags = flags, TmpfsData = string.Join(',', data) };
        }
    }

    /// <summary>moby's ConvertTmpfsOptions: the largest of g, m, k that divides the size evenly.</summary>
    public static string SizeWithSuffix(long size)
    {
        foreach (var (suffix, divisor) in new[] { ("g", 1L << 30), ("m", 1L << 20), ("k", 1L << 10) })
            if (size % divisor == 0)
                return $"{size / divisor}{suffix}";
        return size.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Go's strconv.ParseBool.</summary>
    private static bool? ParseBool(string s) => s switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => null,
    };

    /// <summary>One line of CSV as Go's encoding/csv reads it: ',' separates, a field may be quoted
    /// ("a,b"), and "" inside quotes is a quote.</summary>
    internal static List<string> Csv(string raw)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        int i = 0;
        while (true)
        {
            sb.Clear();
            if (i < raw.Length && raw[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= raw.Length)
                        throw Bad(raw, "parse error on line 1: extraneous or missing \" in quoted-field");
                    if (raw[i] == '"')
                    {
                        if (i + 1 < raw.Length && raw[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(raw[i++]);
                }
                if (i < raw.Length && raw[i] != ',')
                    throw Bad(raw, "parse error on line 1: extraneous or missing \" in quoted-field");
            }
            else
            {
                while (i < raw.Length && raw[i] != ',')
                {
                    if (raw[i] == '"')
                        throw Bad(raw, "parse error on line 1: bare \" in non-quoted-field");
                    sb.Append(raw[i++]);
                }
            }
            fields.Add(sb.ToString());
            if (i >= raw.Length)
                return fields;
            i++; // the ','
        }
    }

    private static GockerException Bad(string raw, string why) => new($"invalid argument \"{raw}\" for \"--mount\" flag: {why}");

    private static GockerException Refused(string raw, string why) => new($"--mount {raw}: {why}");

    private static GockerException Config(string type, string why) => new($"invalid mount config for type \"{type}\": {why}");
}
