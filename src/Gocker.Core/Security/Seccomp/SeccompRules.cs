using System.Globalization;

namespace Gocker.Core.Security.Seccomp;

/// <summary>How an argument is compared (libseccomp's SCMP_CMP_*).</summary>
public enum ArgOp { NotEqual, Less, LessOrEqual, Equal, GreaterOrEqual, Greater, MaskedEqual }

/// <summary>Argument <see cref="Index"/> compared, as a 64-bit value, with <see cref="Value"/>; for MaskedEqual
/// (arg &amp; Value) == ValueTwo, as Docker's profiles write it.</summary>
public sealed record ArgCondition(int Index, ArgOp Op, ulong Value, ulong ValueTwo);

/// <summary>One rule for one syscall number: its action when every condition holds.</summary>
public sealed record SeccompRule(int Number, uint Action, IReadOnlyList<ArgCondition> Conditions);

/// <summary>What the BPF compiler needs: the default action, and the rules in profile order.</summary>
public sealed record SeccompRuleSet(uint DefaultAction, IReadOnlyList<SeccompRule> Rules);

/// <summary>seccomp return values (linux/seccomp.h).</summary>
public static class SeccompAction
{
    public const uint KillProcess = 0x80000000, KillThread = 0, Trap = 0x00030000, Errno = 0x00050000,
        Trace = 0x7ff00000, Log = 0x7ffc0000, Allow = 0x7fff0000;

    public const uint EPERM = 1, ENOSYS = 38;

    public static uint ErrnoOf(uint errno) => Errno | (errno & 0xffff);
}

/// <summary>Turns a Docker profile into numbered rules for x86-64: names to numbers, actions and operators
/// checked (unknown ones are refused with the name), includes/excludes evaluated against the container's
/// capabilities, this architecture and the running kernel, as Docker does when it creates the container.</summary>
public static class SeccompRules
{
    /// <summary>Go's name for this architecture, which includes/excludes "arches" use.</summary>
    private const string GoArch = "amd64";

    private static readonly string[] KnownArchitectures =
    [
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",
        "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
        "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
        "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
        "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    ];

    /// <param name="capabilities">The container's capability set (rules with includes/excludes "caps").</param>
    /// <param name="kernel">The running kernel's version (rules with "minKernel"); asked only when needed.</param>
    public static SeccompRuleSet Resolve(SeccompProfile p, ulong capabilities, Func<Version> kernel)
    {
        EnsureSupportedArchitecture();
        if (p.DefaultAction is null)
            throw Invalid("no defaultAction");
        if (!string.IsNullOrEmpty(p.ListenerPath))
            throw Invalid("listenerPath (SCMP_ACT_NOTIFY) is not supported");
        if (p.Flags is { Count: > 0 } flags)
            throw Invalid($"flags are not supported: {string.Join(", ", flags)}");
        foreach (var arch in (p.Architectures ?? []).Concat((p.ArchMap ?? []).SelectMany(m => (m.SubArchitectures ?? []).Prepend(m.Architecture ?? ""))))
            if (Array.IndexOf(KnownArchitectures, arch) < 0)
                throw Invalid($"unknown architecture \"{arch}\"");
        uint defaultAction = Action(p.DefaultAction, p.DefaultErrnoRet);

        var rules = new List<SeccompRule>();
        foreach (var s in p.Syscalls ?? [])
        {
            var names = s.Names ?? [];
            if (s.Name is { Length: > 0 } single)
                names = [.. names, single];
            if (names.Count == 0)
                throw Invalid("a syscalls entry has no names");
            if (s.Action is null)
                throw Invalid($"no action for {string.Join(", ", names)}");
            uint action = Action(s.Action, s.ErrnoRet);
            var conditions = (s.Args ?? []).Select(Condition).ToList();
            if (!Applies(s, capabilities, kernel))
                continue;
            foreach (var name in names)
            {
                if (SyscallTableX86_64.Numbers.TryGetValue(name, out var nr))
                    rules.Add(new SeccompRule(nr, action, conditions));
                else if (!SyscallTableX86_64.OtherArchitectures.Contains(name))
                    throw Invalid($"unknown syscall \"{name}\"");
            }
        }
        return new SeccompRuleSet(defaultAction, rules);
    }

    /// <summary>The syscall table is x86-64's: on another architecture every number would be wrong.</summary>
    public static void EnsureSupportedArchitecture()
    {
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            throw new GockerException(
                $"seccomp filters are built for x86-64 only (the syscall table is per architecture), and this is {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}: use --security-opt seccomp=unconfined");
    }

    private static GockerException Invalid(string why) => new($"invalid seccomp profile: {why}");

    private static uint Action(string name, uint? errnoRet) => name switch
    {
        "SCMP_ACT_ALLOW" => SeccompAction.Allow,
        "SCMP_ACT_ERRNO" => SeccompAction.ErrnoOf(errnoRet ?? SeccompAction.EPERM),
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => SeccompAction.KillThread,
        "SCMP_ACT_KILL_PROCESS" => SeccompAction.KillProcess,
        "SCMP_ACT_TRAP" => SeccompAction.Trap,
        "SCMP_ACT_TRACE" => SeccompAction.Trace | ((errnoRet ?? SeccompAction.EPERM) & 0xffff),
        "SCMP_ACT_LOG" => SeccompAction.Log,
        "SCMP_ACT_NOTIFY" => throw Invalid("SCMP_ACT_NOTIFY needs a seccomp agent, which gocker does not have"),
        _ => throw Invalid($"unknown action \"{name}\""),
    };

    private static ArgCondition Condition(SeccompArg a)
    {
        if (a.Index > 5)
            throw Invalid($"argument index {a.Index} (a syscall has arguments 0 to 5)");
        var op = a.Op switch
        {
            "SCMP_CMP_NE" => ArgOp.NotEqual,
            "SCMP_CMP_LT" => ArgOp.Less,
            "SCMP_CMP_LE" => ArgOp.LessOrEqual,
            "SCMP_CMP_EQ" => ArgOp.Equal,
            "SCMP_CMP_GE" => ArgOp.GreaterOrEqual,
            "SCMP_CMP_GT" => ArgOp.Greater,
            "SCMP_CMP_MASKED_EQ" => ArgOp.MaskedEqual,
            _ => throw Invalid($"unknown operator \"{a.Op}\""),
        };
        return new ArgCondition((int)a.Index, op, a.Value, a.ValueTwo);
    }

    /// <summary>Docker's rules: every included capability present, no excluded one; this architecture
    /// listed in includes and not in excludes; the kernel at least includes.minKernel, and below
    /// excludes.minKernel.</summary>
    private static bool Applies(SeccompSyscall s, ulong caps, Func<Version> kernel)
    {
        bool HasCap(string name) => Capabilities.Number(Capabilities.Normalize(name)) is var n && Capabilities.Has(caps, n);
        if (s.Includes is { } inc)
        {
            if (inc.Arches is { Count: > 0 } ia && !ia.Contains(GoArch)) return false;
            if (inc.Caps is { Count: > 0 } ic && !ic.All(HasCap)) return false;
            if (!string.IsNullOrEmpty(inc.MinKernel) && kernel() < ParseKernel(inc.MinKernel)) return false;
        }
        if (s.Excludes is { } exc)
        {
            if (exc.Arches is { Count: > 0 } ea && ea.Contains(GoArch)) return false;
            if (exc.Caps is { Count: > 0 } ec && ec.Any(HasCap)) return false;
            if (!string.IsNullOrEmpty(exc.MinKernel) && kernel() >= ParseKernel(exc.MinKernel)) return false;
        }
        return true;
    }

    private static Version ParseKernel(string v) =>
        Version.TryParse(v.Contains('.') ? v : v + ".0", out var parsed) ? parsed : throw Invalid($"bad minKernel \"{v}\"");

    /// <summary>"6.18.44-fc-v857" → 6.18.44 (the running kernel's when not given).</summary>
    public static Version KernelVersion(string? release = null)
    {
        var text = release ?? Interop.Libc.KernelRelease();
        var numeric = new string(text.TakeWhile(c => char.IsDigit(c) || c == '.').ToArray()).TrimEnd('.');
        var parts = numeric.Split('.').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return parts.Length switch
        {
            >= 3 => new Version(parts[0], parts[1], parts[2]),
            2 => new Version(parts[0], parts[1]),
            _ => new Version(parts[0], 0),
        };
    }
}
