using Gocker.Core.Filesystem;
using Gocker.Core.Security;

namespace Gocker.Core.Process;

/// <summary>The container's init as a plan (native/initplan.h): the rootfs mounts in order (<see
/// cref="RootfsSetup"/> over <see cref="PlanMountSyscalls"/>), hostname, loopback and eth0, then the process.
/// gocker computes it on the host and sends it over the config pipe; the init (native/init.c, the
/// monitor's clone child) executes it without starting another program, let alone a runtime.</summary>
public static class InitPlan
{
    /// <summary>Init's failure when its gate never opened (native/initplan.h INIT_GATE_CLOSED): the real
    /// cause is the monitor's or gocker's.</summary>
    public const string GateClosed = "container init: the monitor could not put the container into its cgroups, or gocker could not set up its network";

    /// <param name="hostDevices">--privileged: the host's device nodes (read by the caller: its /dev is
    /// what init would see before pivot_root).</param>
    public static byte[] Build(InitConfig c, IReadOnlyList<DeviceNode>? hostDevices = null)
    {
        var plan = new InitPlanWriter();
        new RootfsSetup(new PlanMountSyscalls(plan)).Build(new RootfsSetup.Layout(
            c.LowerDirs, c.UpperDir, c.WorkDir, c.Rootfs, c.HostnameFile, c.HostsFile, c.ResolvConfFile,
            c.Mounts, c.ReadOnlyRootfs, c.WorkingDir)
        {
            LowerBase = c.LowerBase,
            MaskSystemPaths = c.MaskSystemPaths,
            Privileged = c.Privileged,
            VolatileUpper = c.DisposableUpper,
            HostDevices = c.Privileged ? hostDevices ?? [] : [],
        });
        plan.Op(InitOp.Hostname).Str(c.Hostname);
        if (!c.HostNetwork)
            plan.Op(InitOp.Loopback);
        if (c.Network is { } n)
            plan.Op(InitOp.Network).Str(n.Device).U64(n.Address.Value).U64((ulong)n.PrefixLength).U64(n.Gateway.Value);
        WriteProcess(plan, c);
        plan.Op(InitOp.End);
        return plan.ToArray();
    }

    private static void WriteProcess(InitPlanWriter plan, InitConfig c)
    {
        if (c.Args.Count == 0)
            throw new GockerException("no command specified");
        plan.Op(InitOp.Process).Str(c.User).Str(c.WorkingDir).U64(c.Tty ? 1UL : 0).U64(c.Init ? 1UL : 0);
        plan.U64((ulong)c.Args.Count);
        foreach (var a in c.Args)
            plan.Str(a);
        plan.U64((ulong)c.Env.Count);
        foreach (var e in c.Env)
            plan.Str(e);
        var s = c.Security;
        plan.U64(s is null || s.KeepCapabilities ? 0UL : 1).U64(s?.Capabilities ?? 0).U64(s?.NoNewPrivileges == true ? 1UL : 0);
        plan.Bytes(s?.SeccompFilter ?? []);
        var limits = s?.Ulimits ?? [];
        plan.U64((ulong)limits.Count);
        foreach (var u in limits)
            plan.U64((ulong)u.Resource).U64(Ulimit.Raw(u.Soft)).U64(Ulimit.Raw(u.Hard));
    }
}
