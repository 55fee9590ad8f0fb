using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

/// <summary>native/ (libgocker.a, linked into the executable): what cannot run inside the .NET
/// runtime. The structs mirror native/gocker.h.</summary>
internal static unsafe partial class Native
{
    private const string Lib = "libgocker";

    [StructLayout(LayoutKind.Sequential)]
    internal struct CloneParams
    {
        public int Flags;
        public byte* Path;
        public byte** Argv;
        public byte** Envp;
        public int* Fds;
        public int NFds;
        public int StatusFd;
        public int DeathSignal;
        public int NewSession;
        public byte** CgroupFiles;
        public int NCgroupFiles;
        public int ExeFd;
        /// <summary>int (*run)(void *): native code only (the monitor's init); always null from here.</summary>
        public void* Run;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ExecParams
    {
        public byte* Path;
        public byte** Argv;
        public byte** Envp;
        public byte* Workdir;
        public int SetUser;
        public uint Uid, Gid;
        public uint* Groups;
        public int NGroups;
        public int TtyFd;
        public int StatusFd;
        public int DeathSignal;
        public int FailedCode;
        public SecurityParams* Security;
        public int ReadonlyExe;
        public int ExeFd;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct RlimitParams
    {
        public int Resource;
        public ulong Soft, Hard;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct SecurityParams
    {
        public int SetCaps;
        public ulong Caps;
        public int NoNewPrivs;
        public byte* Seccomp;
        public int SeccompLen;
        public RlimitParams* Rlimits;
        public int NRlimits;
    }

    [LibraryImport(Lib, EntryPoint = "gocker_clone_exec")]
    internal static partial int CloneExec(CloneParams* p);

    [LibraryImport(Lib, EntryPoint = "gocker_exec_final")]
    internal static partial int ExecFinal(ExecParams* p);

    [LibraryImport(Lib, EntryPoint = "gocker_send_fd")]
    internal static partial int SendFd(int sock, int fd);

    [LibraryImport(Lib, EntryPoint = "gocker_recv_fd")]
    internal static partial int RecvFd(int sock);

    [LibraryImport(Lib, EntryPoint = "gocker_preinit_mode")]
    internal static partial int PreinitMode();
}
