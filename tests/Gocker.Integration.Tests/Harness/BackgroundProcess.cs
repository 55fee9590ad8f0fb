using System.Diagnostics;
using System.Text;

namespace Gocker.Integration.Tests.Harness;

/// <summary>A process running in the background whose stdout is read line by line as it comes, so a
/// test can wait for a marker, signal it, and then collect how it ended.</summary>
public sealed class BackgroundProcess : IDisposable
{
    private readonly Process _process;
    private readonly ProcessSpec _spec;
    private readonly object _lock = new();
    private readonly List<string> _lines = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _eof;
    private GockerResult? _result;

    public BackgroundProcess(ProcessSpec spec)
    {
        _spec = spec;
        _process = new Process { StartInfo = spec.ToStartInfo() };
        _process.OutputDataReceived += (_, e) =>
        {
            TaskCompletionSource changed;
            lock (_lock)
            {
                if (e.Data is null) _eof = true; else _lines.Add(e.Data);
                changed = _changed;
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.TrySetResult();
            if (e.Data is null) _stdoutClosed.TrySetResult();
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { _stderrClosed.TrySetResult(); return; }
            lock (_lock) _stderr.Append(e.Data).Append('\n');
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        ProcessRunner.WriteStdinAsync(_process, spec.Stdin).GetAwaiter().GetResult();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StdoutSoFar { get { lock (_lock) return string.Join('\n', _lines); } }

    public string StderrSoFar { get { lock (_lock) return _stderr.ToString(); } }

    /// <summary>Waits until a stdout line satisfies <paramref name="match"/>; fails on EOF or timeout.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? ProcessRunner.DefaultTimeout);
        int seen = 0;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                for (; seen < _lines.Count; seen++)
                    if (match(_lines[seen]))
                        return _lines[seen];
                if (_eof)
                    Assert.Fail($"stdout closed before the expected line\n{Describe()}");
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                Assert.Fail($"timed out waiting for a line on stdout\n{Describe()}");
            try { await changed.WaitAsync(left); }
            catch (TimeoutException) { }
        }
    }

    public Task<string> WaitForLineAsync(string exact, TimeSpan? timeout = null) =>
        WaitForLineAsync(l => l == exact, timeout);

    public void Signal(int sig) => Libc.Kill(_process.Id, sig);

    /// <summary>Host pids of the direct children of this process (all its threads' children).</summary>
    public IReadOnlyList<int> ChildPids()
    {
        var pids = new List<int>();
        try
        {
            foreach (var task in System.IO.Directory.GetDirectories($"/proc/{_process.Id}/task"))
            {
                string text;
                try { text = File.ReadAllText(Path.Combine(task, "children")); }
                catch (IOException) { continue; }
                pids.AddRange(text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
            }
        }
        catch (DirectoryNotFoundException) { }
        return pids.Distinct().ToList();
    }

    public async Task<GockerResult> WaitForExitAsync(TimeSpan? timeout = null)
    {
        if (_result is not null)
            return _result;
        using var cts = new CancellationTokenSource(timeout ?? ProcessRunner.DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree();
            Assert.Fail($"did not exit within {(timeout ?? ProcessRunner.DefaultTimeout).TotalSeconds} s; killed\n{Describe()}");
        }
        string stdout;
        lock (_lock) stdout = _lines.Count == 0 ? "" : string.Join('\n', _lines) + "\n";
        return _result = new GockerResult(_process.ExitCode, stdout, StderrSoFar, _spec.CommandLine);
    }

    /// <summary>Waits for the process itself to exit, not for its stdout and stderr to close (another
    /// process may hold them); returns its exit code.</summary>
    public async Task<int> WaitForProcessExitAsync(TimeSpan? timeout = null)
    {
        // Process.WaitForExitAsync also waits for EOF on the redirected streams; HasExited does not.
        var deadline = DateTime.UtcNow + (timeout ?? ProcessRunner.DefaultTimeout);
        while (!_process.HasExited)
        {
            if (DateTime.UtcNow > deadline)
            {
                KillTree();
                Assert.Fail($"did not exit within {(timeout ?? ProcessRunner.DefaultTimeout).TotalSeconds} s; killed\n{Describe()}");
            }
            await Task.Delay(20);
        }
        return _process.ExitCode;
    }

    /// <summary>Whether stdout has reached EOF (every writer closed it).</summary>
    public Task StdoutClosed => _stdoutClosed.Task;

    private string Describe() =>
        $"`{_spec.CommandLine}` (pid {_process.Id}, exited: {_process.HasExited})\n--- stdout ---\n{StdoutSoFar}\n--- stderr ---\n{StderrSoFar}";

    private void KillTree()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            KillTree();
        _process.Dispose();
    }
}
