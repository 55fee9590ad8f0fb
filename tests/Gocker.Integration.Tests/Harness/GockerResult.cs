namespace Gocker.Integration.Tests.Harness;

/// <summary>What one finished gocker invocation did.</summary>
public sealed record GockerResult(int ExitCode, string Stdout, string Stderr, string CommandLine)
{
    public string[] StdoutLines => SplitLines(Stdout);

    public string[] StderrLines => SplitLines(Stderr);

    /// <summary>Lines without the terminator; a final newline does not make an empty last line.</summary>
    public static string[] SplitLines(string text)
    {
        if (text.Length == 0)
            return [];
        var t = text.Replace("\r\n", "\n");
        if (t.EndsWith('\n'))
            t = t[..^1];
        return t.Split('\n');
    }

    public override string ToString() =>
        $"`{CommandLine}` exited {ExitCode}\n--- stdout ---\n{Trim(Stdout)}\n--- stderr ---\n{Trim(Stderr)}";

    private static string Trim(string s) => s.Length > 4000 ? s[..4000] + $"... ({s.Length} chars)" : s;

    /// <summary>Asserts the exit code, showing the whole result when it differs.</summary>
    public GockerResult ShouldExit(int expected)
    {
        Assert.True(ExitCode == expected, $"expected exit {expected}\n{this}");
        return this;
    }

    public GockerResult ShouldSucceed() => ShouldExit(0);

    /// <summary>gocker's own error: 125 and exactly one line on stderr, "gocker: ...".</summary>
    public string ShouldBeGockerError()
    {
        ShouldExit(125);
        var lines = StderrLines;
        Assert.True(lines.Length == 1, $"expected exactly one line on stderr\n{this}");
        Assert.True(lines[0].StartsWith("gocker: ", StringComparison.Ordinal), $"expected 'gocker: ...' on stderr\n{this}");
        return lines[0];
    }
}
