namespace Gocker.Core.Process;

/// <summary>The fds the container's init starts with (the clone helper puts them in place; native/initplan.h).</summary>
public static class InitFds
{
    public const int Stdin = 0, Stdout = 1, Stderr = 2;
    /// <summary>Read end of the config pipe: the <see cref="InitPlan"/>, then EOF.</summary>
    public const int Config = 3;
    /// <summary>Write end of the status pipe: closed by a successful execve (close-on-exec), or one
    /// failure record "code errno message" before init exits.</summary>
    public const int Status = 4;
    /// <summary>With -t: a socket on which init sends the pty master and waits for one byte back.</summary>
    public const int Console = 5;
    /// <summary>One byte once the monitor has put init into the container's cgroups; read right
    /// before the command's execve (EOF: the monitor failed, and reported why).</summary>
    public const int CgroupGate = 6;
    public const int Count = 7;
}
