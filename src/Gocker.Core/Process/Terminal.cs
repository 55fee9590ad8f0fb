using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Process;

/// <summary>-t: the pty lives in the container's own devpts instance; its master crosses to gocker.</summary>
public static unsafe class Terminal
{
    /// <summary>Container side: allocate a pty from the container's /dev/ptmx, send the master to gocker
    /// and wait until gocker has sized it, so that the command starts with the right window size.
    /// Returns the slave, which becomes the command's stdio and controlling terminal.</summary>
    internal static SafeFileHandle OpenForContainer(SafeFileHandle console)
    {
        using (console)
        {
            using var master = Libc.Open("/dev/ptmx", Libc.O_RDWR | Libc.O_NOCTTY);
            int unlock = 0;
            Libc.Check(Libc.Ioctl(master, Libc.TIOCSPTLCK, &unlock), "unlock pty");
            // TIOCGPTPEER opens the slave through the master, not by a /dev/pts path that the
            // container could have swapped.
            int slave = Libc.Check(Libc.Ioctl(master, Libc.TIOCGPTPEER, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC), "open pty slave");
            var slaveHandle = new SafeFileHandle(slave, true);
            int r = Native.SendFd((int)console.DangerousGetHandle(), (int)master.DangerousGetHandle());
            if (r < 0)
                throw new SyscallException("send pty master", -r);
            Span<byte> go = stackalloc byte[1];
            using var stream = new FileStream(new SafeFileHandle(console.DangerousGetHandle(), false), FileAccess.Read, 1);
            if (stream.Read(go) != 1)
                throw new GockerException("gocker went away before the terminal was ready");
            return slaveHandle;
        }
    }

    public static bool IsTerminal(int fd) => Libc.Isatty(fd) == 1;

    public static (int Rows, int Cols)? WindowSize(int fd)
    {
        Libc.WinSize ws;
        return Libc.Ioctl(new SafeFileHandle(fd, false), Libc.TIOCGWINSZ, &ws) == 0 ? (ws.Rows, ws.Cols) : null;
    }

}

/// <summary>Puts the user's terminal in raw mode (keys go to the container unprocessed, ^C included)
/// and restores it on dispose, which every exit path of a run reaches.</summary>
public sealed class RawMode : IDisposable
{
    private readonly SafeFileHandle _fd;
    private readonly Libc.Termios _saved;
    private bool _active;

    private RawMode(SafeFileHandle fd, Libc.Termios saved)
    {
        _fd = fd;
        _saved = saved;
        _active = true;
    }

    public static RawMode? Enter(int fd)
    {
        var handle = new SafeFileHandle(fd, ownsHandle: false);
        if (Libc.Tcgetattr(handle, out var saved) != 0)
            return null;
        var raw = saved;
        Libc.Cfmakeraw(ref raw);
        Libc.Check(Libc.Tcsetattr(handle, Libc.TCSANOW, raw), "tcsetattr raw");
        return new RawMode(handle, saved);
    }

    public void Dispose()
    {
        if (!_active)
            return;
        _active = false;
        Libc.Tcsetattr(_fd, Libc.TCSANOW, _saved);
    }
}
