using System.Runtime.InteropServices;
using Gocker.Core.Containers;
using Gocker.Core.Interop;
using Gocker.Core.Security;
using Gocker.Core.Security.Seccomp;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Process;

/// <summary>The last step before a container command: native/exec.c (terminal, credentials, cwd,
/// signal state, execve). Used by `gocker exec`'s child (the container's init calls it from C).</summary>
internal static class NativeExec
{
    /// <summary>Returns only when the exec failed: the exit code Docker gives for it and the message
    /// the native side wrote (on <paramref name="statusFd"/>, or on a pipe of our own when it is -1).</summary>
    /// <param name="security">The container's confinement, applied right before execve; null leaves it as is.</param>
    /// <param name="readonlyExe"><paramref name="path"/> is this binary: run it through a read-only mount.</param>
    public static unsafe (int Code, int Errno, string Message) Exec(string path, List<string> argv, List<string> env,
        string? workdir, ExecUser? user, SafeFileHandle? tty, int statusFd, int deathSignal,
        ProcessSecurity? security = null, bool readonlyExe = false)
    {
        using var strings = new NativeStrings();
        var own = statusFd < 0 ? Libc.Pipe() : default((SafeFileHandle Read, SafeFileHandle Write)?);
        uint[] groups = user?.Groups ?? [];
        byte[] filter = security?.SeccompFilter ?? [];
        var limits = (security?.Ulimits ?? []).Select(u => new Native.RlimitParams
        {
            Resource = u.Resource, Soft = Ulimit.Raw(u.Soft), Hard = Ulimit.Raw(u.Hard),
        }).ToArray();
        int r, failedCode;
        fixed (uint* g = groups)
        fixed (byte* f = filter)
        fixed (Native.RlimitParams* l = limits)
        {
            var sec = security is null ? default : new Native.SecurityParams
            {
                SetCaps = security.KeepCapabilities ? 0 : 1,
                Caps = security.Capabilities,
                NoNewPrivs = security.NoNewPrivileges ? 1 : 0,
                Seccomp = filter.Length > 0 ? f : null,
                SeccompLen = filter.Length / BpfInstruction.Size,
                Rlimits = l,
                NRlimits = limits.Length,
            };
            var p = new Native.ExecParams
            {
                Path = strings.String(path),
                Argv = strings.Vector(argv),
                Envp = strings.Vector(env),
                Workdir = workdir is null ? null : strings.String(workdir),
                SetUser = user is null ? 0 : 1,
                Uid = user?.Uid ?? 0,
                Gid = user?.Gid ?? 0,
                Groups = g,
                NGroups = groups.Length,
                TtyFd = tty is null ? -1 : (int)tty.DangerousGetHandle(),
                StatusFd = own is { } o ? (int)o.Write.DangerousGetHandle() : statusFd,
                DeathSignal = deathSignal,
                Security = security is null ? null : &sec,
                ReadonlyExe = readonlyExe ? 1 : 0,
                ExeFd = -1,
            };
            r = Native.ExecFinal(&p);
            failedCode = p.FailedCode;
        }
        int errno = -r;
        string message = $"exec: \"{argv[0]}\": {Marshal.GetPInvokeErrorMessage(errno)}";
        if (own is { } pipe)
        {
            pipe.Write.Dispose();
            using var reader = new StreamReader(new FileStream(pipe.Read, FileAccess.Read, 1));
            if (StatusRecord.Parse(reader.ReadToEnd()) is { } record)
                message = record.Message;
        }
        return (failedCode == 0 ? ExitCodes.GockerError : failedCode, errno, message);
    }
}
