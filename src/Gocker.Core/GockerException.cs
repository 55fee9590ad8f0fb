namespace Gocker.Core;

/// <summary>An error for the user: one line, and the exit code the CLI returns (Docker's 125 unless
/// the container's command is at fault).</summary>
public class GockerException(string message, int exitCode = ExitCodes.GockerError, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Exit codes of `docker run`.</summary>
public static class ExitCodes
{
    /// <summary>Errors of commands other than run/create (stop, rm, logs...): Docker's CLI exits 1.</summary>
    public const int CommandFailed = 1;
    public const int GockerError = 125;
    public const int CannotInvoke = 126;
    public const int NotFound = 127;
    public const int SignalBase = 128;
}
