using Gocker.Core.Interop;
using Gocker.Core.Process;
using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>kill, stop and wait. A signal reaches the container's init only: the pid is pinned with a
/// pidfd and checked against the recorded start time, so a reused pid is never signalled.</summary>
public sealed class ContainerSignaller(GockerRoot root)
{
    /// <summary>Returns false if the container is not running.</summary>
    public bool Kill(ContainerRecord r, int signal)
    {
        if (signal is Signals.SIGKILL or Signals.SIGTERM)
            ContainerResources.ThawIfPaused(r);
        using var pidfd = OpenInit(r);
        if (pidfd is null)
            return false;
        if (Libc.PidfdSendSignal(pidfd, signal) < 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno == Errno.ESRCH)
                return false;
            throw new SyscallException($"signal container {ContainerId.Short(r.Id)}", errno);
        }
        return true;
    }

    /// <summary>The stop signal, then SIGKILL after <paramref name="timeout"/>; returns once the
    /// monitor has recorded the exit. A PID 1 without a handler ignores SIGTERM: the kill still ends it.</summary>
    public void Stop(ContainerRecord r, int signal, TimeSpan timeout)
    {
        ContainerResources.ThawIfPaused(r);
        using var pidfd = OpenInit(r);
        if (pidfd is null)
        {
            WaitForMonitor(r);
            return;
        }
        Libc.PidfdSendSignal(pidfd, signal);
        if (!Libc.WaitReadable(pidfd, (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds)))
        {
            Libc.PidfdSendSignal(pidfd, Signals.SIGKILL);
            Libc.WaitReadable(pidfd, -1);
        }
        WaitForMonitor(r);
    }

    /// <summary>Blocks until the container's monitor has recorded the exit and ended (it holds its
    /// liveness lock until then), then returns the record as it is now.</summary>
    public ContainerRecord? WaitForMonitor(ContainerRecord r)
    {
        using var store = new StateStore(root.StateDb);
        store.WaitMonitorExit(r);
        return store.ReadAll().Records.FirstOrDefault(x => x.Id == r.Id);
    }

    private Microsoft.Win32.SafeHandles.SafeFileHandle? OpenInit(ContainerRecord r)
    {
        if (!StatusRules.CanKill(r.Status) || r.Pid <= 0)
            return null;
        var identity = new ProcessIdentity(r.Pid, r.PidStartTime);
        if (!identity.IsAlive())
            return null;
        Microsoft.Win32.SafeHandles.SafeFileHandle pidfd;
        try { pidfd = Libc.PidfdOpen(r.Pid); }
        catch (SyscallException e) when (e.Errno == Errno.ESRCH) { return null; }
        // Checked again with the pidfd held: if the pid was reused between the two checks, the start
        // time no longer matches and the pidfd (pinning the stranger) is dropped unused.
        if (!identity.IsAlive())
        {
            pidfd.Dispose();
            return null;
        }
        return pidfd;
    }
}
