using System.Runtime.InteropServices;
using Gocker.Core.Containers;
using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Process;

/// <summary>The last step before a container command: native/exec.c (terminal, credentials, cwd,
/// signal state, execve). Shared by gocker-init and by `gocker exec`'s child.</summary>
internal static class NativeExec
{
    /// <summary>Returns only when the exec failed: the exit code Docker gives for it and a message.</summary>
    public static unsafe (int Code, int Errno, string Message) Exec(string path, List<string> argv, List<string> env,
        string? workdir, ExecUser? user, SafeFileHandle? tty, int statusFd, int deathSignal)
    {
        using var strings = new NativeStrings();
        uint[] groups = user?.Groups ?? [];
        fixed (uint* g = groups)
        {
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
                StatusFd = statusFd,
                DeathSignal = deathSignal,
            };
            int r = Native.ExecFinal(&p);
            int errno = -r;
            int code = errno is Errno.ENOENT or Errno.ENOTDIR ? ExitCodes.NotFound : ExitCodes.CannotInvoke;
            return (code, errno, $"exec: \"{argv[0]}\": {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }
}
