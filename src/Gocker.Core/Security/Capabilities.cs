namespace Gocker.Core.Security;

/// <summary>Linux capabilities by name and number (linux/capability.h), Docker's default set, and
/// Docker's rules for --cap-add / --cap-drop. A set is a bit mask: bit N is capability N.</summary>
public static class Capabilities
{
    /// <summary>Index = capability number.</summary>
    public static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    public const int SysAdmin = 21;

    /// <summary>Every capability this table knows.</summary>
    public static readonly ulong All = (1UL << Names.Length) - 1;

    /// <summary>Docker's default set (moby oci/caps): 0x00000000a80425fb.</summary>
    public static readonly ulong DockerDefault = Mask(
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE");

    public static int Number(string canonicalName) => Array.IndexOf(Names, canonicalName);

    public static bool Has(ulong set, int cap) => (set & (1UL << cap)) != 0;

    public static IEnumerable<string> NamesOf(ulong set) =>
        Enumerable.Range(0, Names.Length).Where(c => Has(set, c)).Select(c => Names[c]);

    private static ulong Mask(params string[] names) => names.Aggregate(0UL, (m, n) => m | (1UL << Number(n)));

    /// <summary>"net_admin", "NET_ADMIN", "cap_net_admin" → "CAP_NET_ADMIN"; "all" → "ALL". Unknown names
    /// are an error, as in Docker.</summary>
    public static string Normalize(string name)
    {
        var upper = name.Trim().ToUpperInvariant();
        if (upper == "ALL")
            return upper;
        if (!upper.StartsWith("CAP_", StringComparison.Ordinal))
            upper = "CAP_" + upper;
        if (Number(upper) < 0)
            throw new GockerException($"unknown capability: \"{upper}\"");
        return upper;
    }

    /// <summary>Docker's TweakCapabilities: ALL in --cap-add gives every capability but the dropped ones;
    /// ALL in --cap-drop keeps only the added ones; otherwise the default set minus the drops plus the adds.
    /// <paramref name="held"/>: what gocker itself holds: ALL means all of those (a capability the host
    /// withholds from gocker cannot be given), and naming one it lacks is an error.</summary>
    public static ulong Resolve(IEnumerable<string> capAdd, IEnumerable<string> capDrop, ulong held)
    {
        var adds = capAdd.Select(Normalize).ToList();
        var drops = capDrop.Select(Normalize).ToList();
        ulong add = Mask([.. adds.Where(a => a != "ALL")]);
        ulong drop = Mask([.. drops.Where(d => d != "ALL")]);
        ulong missing = add & ~held;
        if (missing != 0)
            throw new GockerException(
                $"cannot add {string.Join(", ", NamesOf(missing))}: gocker itself does not hold it on this host");
        if (adds.Contains("ALL"))
            return held & ~drop;
        if (drops.Contains("ALL"))
            return add;
        return ((DockerDefault & ~drop) | add) & held;
    }

    /// <summary>The capabilities this process may pass on (its permitted set), known to this table.</summary>
    public static ulong Held() => Interop.Libc.PermittedCapabilities() & All;
}
