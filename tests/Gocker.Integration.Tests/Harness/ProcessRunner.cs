using System.Diagnostics;
using System.Text;

namespace Gocker.Integration.Tests.Harness;

/// <summary>How to start one process: no shell in between, arguments passed one by one.</summary>
public sealed class ProcessSpec
{
    public required string FileName { get; init; }
    public List<string> Args { get; init; } = [];
    /// <summary>Added to (or, with a null value, removed from) the inherited environment.</summary>
    public Dictionary<string, string?> Env { get; init; } = new();
    /// <summary>Written to stdin, which is then closed. Null: stdin is closed at once.</summary>
    public string? Stdin { get; init; }
    public TimeSpan Timeout { get; init; } = ProcessRunner.DefaultTimeout;

    public string CommandLine => string.Join(' ', new[] { FileName }.Concat(Args).Select(Shell.QuoteForDisplay));

    public ProcessStartInfo ToStartInfo()
    {
        // Through `env --default-signal`: a test host started under nohup (or by anything else that
        // ignores signals) passes SIG_IGN on through exec, and a gocker that ignores SIGHUP rightly
        // neither handles nor forwards it. The tests signal the process they started as a terminal
        // would, so every disposition starts at the default; env execs in place (same pid).
        var psi = new ProcessStartInfo("/usr/bin/env")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        psi.ArgumentList.Add("--default-signal");
        psi.ArgumentList.Add(FileName);
        foreach (var a in Args)
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in Env)
        {
            if (v is null)
                psi.Environment.Remove(k);
            else
                psi.Environment[k] = v;
        }
        return psi;
    }
}

public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs to completion; on timeout kills the process (and its children) and fails.</summary>
    public static async Task<GockerResult> RunAsync(ProcessSpec spec)
    {
        using var p = new Process { StartInfo = spec.ToStartInfo() };
        p.Start();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await WriteStdinAsync(p, spec.Stdin);
        using var cts = new CancellationTokenSource(spec.Timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await p.WaitForExitAsync();
            var partial = new GockerResult(-1, await stdout, await stderr, spec.CommandLine);
            Assert.Fail($"timed out after {spec.Timeout.TotalSeconds} s and was killed\n{partial}");
        }
        return new GockerResult(p.ExitCode, await stdout, await stderr, spec.CommandLine);
    }

    public static async Task WriteStdinAsync(Process p, string? input)
    {
        try
        {
            if (input is not null)
            {
                await p.StandardInput.WriteAsync(input);
                await p.StandardInput.FlushAsync();
            }
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited (or closed its stdin) before reading everything: not our concern here.
        }
    }
}

/// <summary>Quoting for the places that do take a shell command line (tmux, script).</summary>
public static class Shell
{
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    public static string Join(IEnumerable<string> args) => string.Join(' ', args.Select(Quote));

    public static string QuoteForDisplay(string s)
    {
        if (s.Length > 200)
            s = s[..200] + $"...({s.Length} chars)";
        return s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? s : Quote(s);
    }
}
