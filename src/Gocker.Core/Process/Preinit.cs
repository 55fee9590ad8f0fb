using Gocker.Core.Interop;

namespace Gocker.Core.Process;

/// <summary>What the native pre-runtime constructor (native/preinit.c) did in this process.</summary>
public static class Preinit
{
    public const string GateVariable = "_GOCKER_PREINIT";

    /// <summary>The child of `gocker exec`, inside the container's namespaces (native/nsexec.c).</summary>
    public const int ExecChild = 4;

    /// <summary>The same for `exec -d`: setup failures are reported on <see cref="ExecInit.ReportFd"/>.</summary>
    public const int ExecChildDetached = 5;

    /// <summary>0: not gated (every normal start); 1: the probe mode that tests use; 4: exec child.</summary>
    public static int Mode => Native.PreinitMode();
}
