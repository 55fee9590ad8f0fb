using System.Globalization;

namespace Gocker.Core.Process;

/// <summary>Signal names and numbers as Docker accepts them: "KILL", "SIGKILL", "9", "sigterm".</summary>
public static class Signals
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12, SIGTERM = 15;

    private static readonly Dictionary<string, int> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["IOT"] = 6, ["BUS"] = 7,
        ["FPE"] = 8, ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13, ["ALRM"] = 14,
        ["TERM"] = 15, ["STKFLT"] = 16, ["CHLD"] = 17, ["CONT"] = 18, ["STOP"] = 19, ["TSTP"] = 20, ["TTIN"] = 21,
        ["TTOU"] = 22, ["URG"] = 23, ["XCPU"] = 24, ["XFSZ"] = 25, ["VTALRM"] = 26, ["PROF"] = 27, ["WINCH"] = 28,
        ["IO"] = 29, ["POLL"] = 29, ["PWR"] = 30, ["SYS"] = 31,
    };

    /// <param name="exitCode">Docker's code for a bad signal: 1 for kill and stop (the daemon refuses it).</param>
    public static int Parse(string value, int exitCode = ExitCodes.GockerError)
    {
        var v = value.Trim();
        if (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 64)
            return n;
        if (v.StartsWith("SIG", StringComparison.OrdinalIgnoreCase))
            v = v[3..];
        if (Names.TryGetValue(v, out n))
            return n;
        if (v.StartsWith("RTMIN", StringComparison.OrdinalIgnoreCase))
        {
            var rest = v[5..];
            if (rest.Length == 0) return 34;
            if (rest[0] == '+' && int.TryParse(rest[1..], out var k) && k is >= 0 and <= 30) return 34 + k;
        }
        throw new GockerException($"invalid signal: {value}", exitCode);
    }
}
