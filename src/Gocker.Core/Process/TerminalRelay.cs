using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Process;

/// <summary>Copies between the user's terminal and the container's pty master: output always, input
/// with -i. Output ends with EIO once every slave fd in the container is closed.</summary>
public sealed class TerminalRelay : IDisposable
{
    private readonly Thread _output;
    private readonly PosixSignalRegistration? _winch;

    public TerminalRelay(SafeFileHandle ownedMaster, bool interactive)
    {
        // The owner (the launched container) closes the master; the copy threads only borrow it.
        var master = new SafeFileHandle(ownedMaster.DangerousGetHandle(), ownsHandle: false);
        _output = new Thread(() => Copy(master, new SafeFileHandle(1, false))) { IsBackground = true, Name = "pty-out" };
        _output.Start();
        if (interactive)
            new Thread(() => Copy(new SafeFileHandle(0, false), master)) { IsBackground = true, Name = "pty-in" }.Start();
        if (Terminal.IsTerminal(0))
            _winch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ =>
                Terminal.CopyWindowSize(new SafeFileHandle(0, false), master));
    }

    /// <summary>Waits for the container's output to drain after it has exited.</summary>
    public void WaitForOutput(TimeSpan limit) => _output.Join(limit);

    private static void Copy(SafeFileHandle from, SafeFileHandle to)
    {
        var buf = new byte[16384];
        try
        {
            using var input = new FileStream(from, FileAccess.Read, 0);
            using var output = new FileStream(to, FileAccess.Write, 0);
            int n;
            while ((n = input.Read(buf)) > 0)
                output.Write(buf, 0, n);
        }
        catch (IOException) { /* EIO: the container closed its terminal */ }
        catch (ObjectDisposedException) { }
    }

    public void Dispose() => _winch?.Dispose();
}
