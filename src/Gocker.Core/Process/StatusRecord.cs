using System.Globalization;

namespace Gocker.Core.Process;

/// <summary>The failure record the container's init (or the native exec step) writes on the status pipe before
/// the command runs: "exit-code errno message\n". No record and EOF means the command is running.</summary>
public sealed record StatusRecord(int ExitCode, int Errno, string Message)
{
    public string Format() => $"{ExitCode} {Errno} {Message.ReplaceLineEndings(" ")}\n";

    public static StatusRecord? Parse(string text)
    {
        var line = text.TrimEnd('\n');
        if (line.Length == 0)
            return null;
        var parts = line.Split(' ', 3);
        if (parts.Length < 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var code)
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var errno))
            return new StatusRecord(ExitCodes.GockerError, 0, $"container init failed: {line}");
        return new StatusRecord(code, errno, parts[2]);
    }
}
