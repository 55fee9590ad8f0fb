namespace Gocker.Core.Process;

/// <summary>A raw wait(2) status as `docker run` reports it: the exit code, or 128+N for signal N.</summary>
public static class WaitStatus
{
    public static int ToExitCode(int status)
    {
        int signal = status & 0x7f;
        if (signal == 0)
            return (status >> 8) & 0xff;
        return ExitCodes.SignalBase + signal;
    }
}
