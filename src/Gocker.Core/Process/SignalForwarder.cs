using System.Runtime.InteropServices;
using Gocker.Core.Interop;

namespace Gocker.Core.Process;

/// <summary>Signals sent to gocker go to the container's process instead of ending gocker (which
/// would kill the container through its parent-death signal and skip the cleanup).</summary>
public sealed class SignalForwarder : IDisposable
{
    /// <summary>SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 (raw numbers: .NET accepts them).</summary>
    public static readonly int[] Forwarded = [2, 15, 1, 3, 10, 12];

    private readonly List<PosixSignalRegistration> _registrations = new();
    private volatile int _pid;

    public SignalForwarder()
    {
        foreach (var sig in Forwarded)
        {
            _registrations.Add(PosixSignalRegistration.Create((PosixSignal)sig, ctx =>
            {
                ctx.Cancel = true;
                if (_pid > 0)
                    Libc.Kill(_pid, sig);
            }));
        }
    }

    /// <summary>From here on signals go to <paramref name="pid"/>; until the caller reaps it, the pid
    /// cannot be reused, so this never signals a stranger.</summary>
    public void Target(int pid) => _pid = pid;

    public void Stop() => _pid = 0;

    public void Dispose()
    {
        foreach (var r in _registrations)
            r.Dispose();
    }
}
