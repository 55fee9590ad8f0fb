using System.Text.RegularExpressions;
using Gocker.Core.Filesystem;

namespace Gocker.Core.Volumes;

/// <summary>tmpfs options as Docker takes them (`--tmpfs /run:rw,size=64m,mode=1777`): mount flags
/// and the tmpfs data keys moby's ParseTmpfsOptions accepts. Values are checked here, not left for the
/// kernel to refuse at start: a bad option is a create error (125) with nothing created.</summary>
public static partial class TmpfsOptions
{
    /// <summary>Docker mounts every tmpfs noexec,nosuid,nodev unless the options say otherwise.</summary>
    public const MountFlags Defaults = MountFlags.NoExec | MountFlags.NoSuid | MountFlags.NoDev;

    private static readonly Dictionary<string, (bool Clear, MountFlags Flag)> Flags = new(StringComparer.Ordinal)
    {
        ["defaults"] = (false, MountFlags.None),
        ["ro"] = (false, MountFlags.ReadOnly), ["rw"] = (true, MountFlags.ReadOnly),
        ["suid"] = (true, MountFlags.NoSuid), ["nosuid"] = (false, MountFlags.NoSuid),
        ["dev"] = (true, MountFlags.NoDev), ["nodev"] = (false, MountFlags.NoDev),
        ["exec"] = (true, MountFlags.NoExec), ["noexec"] = (false, MountFlags.NoExec),
        ["sync"] = (false, MountFlags.Synchronous), ["async"] = (true, MountFlags.Synchronous),
        ["dirsync"] = (false, MountFlags.DirSync),
        ["atime"] = (true, MountFlags.NoAtime), ["noatime"] = (false, MountFlags.NoAtime),
        ["diratime"] = (true, MountFlags.NoDiratime), ["nodiratime"] = (false, MountFlags.NoDiratime),
        ["relatime"] = (false, MountFlags.RelAtime), ["norelatime"] = (true, MountFlags.RelAtime),
        ["strictatime"] = (false, MountFlags.StrictAtime), ["nostrictatime"] = (true, MountFlags.StrictAtime),
        // Every mount of a container is rprivate already.
        ["private"] = (false, MountFlags.None), ["rprivate"] = (false, MountFlags.None),
    };

    [GeneratedRegex("^[0-9]+[kKmMgGtTpPeE%]?$")]
    private static partial Regex SizePattern();

    [GeneratedRegex("^[0-9]+[kKmMgGtTpPeE]?$")]
    private static partial Regex CountPattern();

    [GeneratedRegex("^[0-7]{1,4}$")]
    private static partial Regex ModePattern();

    [GeneratedRegex("^(default|local|prefer|bind|interleave)(=(static|relative))?(:[0-9,-]+)?$")]
    private static partial Regex MpolPattern();

    /// <summary>The flags (Docker's defaults first, then the options in order: `exec` undoes the
    /// default noexec) and the data string (the last value of each key wins).</summary>
    /// <exception cref="GockerException">An unknown option or a bad value, named.</exception>
    public static (MountFlags Flags, string Data) Parse(string options, MountFlags start = Defaults)
    {
        var flags = start;
        var data = new List<(string Key, string Value)>();
        foreach (var option in options.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = option.IndexOf('=') is var eq and >= 0 ? (option[..eq], option[(eq + 1)..]) : (option, (string?)null);
            if (value is null && Flags.TryGetValue(key, out var f))
            {
                flags = f.Clear ? flags & ~f.Flag : flags | f.Flag;
                continue;
            }
            if (value is null)
                throw Invalid(option, key is "bind" or "rbind" or "remount" or "shared" or "rshared" or "slave" or "rslave" or "unbindable" or "runbindable" or "mand" or "nomand"
                    ? "not an option for a tmpfs mount in gocker" : null);
            string? problem = key switch
            {
                "size" => SizePattern().IsMatch(value) ? null : "the size must be a number of bytes with an optional k, m, g, t, p, e or % suffix",
                "nr_blocks" or "nr_inodes" => CountPattern().IsMatch(value) ? null : $"{key} must be a number with an optional k, m, g, t, p or e suffix",
                "mode" => ModePattern().IsMatch(value) ? null : "the mode must be octal, e.g. 1777",
                "uid" or "gid" => uint.TryParse(value, out _) ? null : $"{key} must be a number",
                "mpol" => MpolPattern().IsMatch(value) ? null : "mpol must be default, local, prefer, bind or interleave (with an optional :NODELIST)",
                _ => "unknown option",
            };
            if (problem is not null)
                throw Invalid(option, problem == "unknown option" ? null : problem);
            data.RemoveAll(d => d.Key == key);
            data.Add((key, value));
        }
        return (flags, string.Join(',', data.Select(d => $"{d.Key}={d.Value}")));
    }

    /// <summary>moby's text ("Invalid tmpfs option [\"foo\"]", Go's %q of the split option), and why.</summary>
    private static GockerException Invalid(string option, string? why)
    {
        var parts = option.Split('=', 2).Select(p => $"\"{p}\"");
        return new GockerException($"Invalid tmpfs option [{string.Join(' ', parts)}]" + (why is null ? "" : $": {why}"));
    }
}
