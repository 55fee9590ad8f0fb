using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>The container log, written by the monitor: `logs` and its options, rotation.</summary>
public sealed class LogsTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Fact]
    public async Task Stdout_and_stderr_come_back_on_their_own_streams()
    {
        var id = await box.RunDetached("busybox", "sh", "-c", "echo out; echo err >&2");
        Assert.Equal(0, await box.Wait(id));
        var r = (await box.Run("logs", id)).ShouldSucceed();
        Assert.Equal("out\n", r.Stdout);
        Assert.Equal("err\n", r.Stderr);
        (await box.Run("rm", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Foreground_run_output_is_logged_too()
    {
        var name = $"fg-{Guid.NewGuid():N}"[..16];
        var run = (await box.Run("run", "--name", name, "busybox", "sh", "-c", "echo a; echo b >&2; echo c")).ShouldSucceed();
        Assert.Equal("a\nc\n", run.Stdout);
        Assert.Equal("b\n", run.Stderr);
        var logs = (await box.Run("logs", name)).ShouldSucceed();
        Assert.Equal("a\nc\n", logs.Stdout);
        Assert.Equal("b\n", logs.Stderr);
        (await box.Run("rm", name)).ShouldSucceed();
    }

    [Fact]
    public async Task Tail_shows_the_last_lines()
    {
        var id = await box.RunDetached("busybox", "sh", "-c", "echo a; echo b; echo c");
        Assert.Equal(0, await box.Wait(id));
        Assert.Equal("c\n", (await box.Run("logs", "--tail", "1", id)).ShouldSucceed().Stdout);
        Assert.Equal("b\nc\n", (await box.Run("logs", "--tail", "2", id)).ShouldSucceed().Stdout);
        Assert.Equal("a\nb\nc\n", (await box.Run("logs", "-n", "10", id)).ShouldSucceed().Stdout);
        Assert.Equal("a\nb\nc\n", (await box.Run("logs", "--tail", "all", id)).ShouldSucceed().Stdout);
        Assert.Equal("", (await box.Run("logs", "--tail", "0", id)).ShouldSucceed().Stdout);
        (await box.Run("rm", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Timestamps_prefix_each_line_with_rfc3339()
    {
        var before = DateTimeOffset.UtcNow;
        var id = await box.RunDetached("busybox", "sh", "-c", "echo one; echo two");
        Assert.Equal(0, await box.Wait(id));
        var after = DateTimeOffset.UtcNow;
        var r = (await box.Run("logs", "-t", id)).ShouldSucceed();
        Assert.Equal(2, r.StdoutLines.Length);
        string[] expected = ["one", "two"];
        for (int i = 0; i < 2; i++)
        {
            var m = Regex.Match(r.StdoutLines[i], @"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) (.*)$");
            Assert.True(m.Success, $"not an RFC 3339 timestamp and the line: '{r.StdoutLines[i]}'");
            Assert.Equal(expected[i], m.Groups[2].Value);
            // .NET parses at most 7 fraction digits.
            var ts = Regex.Replace(m.Groups[1].Value, @"(\.\d{7})\d+", "$1");
            var t = DateTimeOffset.Parse(ts, CultureInfo.InvariantCulture);
            Assert.True(t >= before.AddSeconds(-2) && t <= after.AddSeconds(2), $"timestamp {t:o} is not within the run ({before:o} .. {after:o})");
        }
        (await box.Run("rm", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Since_filters_by_time()
    {
        var id = await box.RunDetached("busybox", "sh", "-c", "echo old");
        Assert.Equal(0, await box.Wait(id));
        Assert.Equal("old\n", (await box.Run("logs", "--since", "10m", id)).ShouldSucceed().Stdout);
        var future = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        Assert.Equal("", (await box.Run("logs", "--since", future, id)).ShouldSucceed().Stdout);
        (await box.Run("rm", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Follow_ends_by_itself_when_the_container_ends()
    {
        var id = await box.RunDetached("busybox", "sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.3; done");
        var sw = Stopwatch.StartNew();
        using var follow = box.Start("logs", "-f", id);
        await follow.WaitForLineAsync("line1", TimeSpan.FromSeconds(10));
        var r = (await follow.WaitForExitAsync(TimeSpan.FromSeconds(15))).ShouldSucceed();
        Assert.Equal(["line1", "line2", "line3"], r.StdoutLines);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15));
        Assert.Equal("false", await box.Inspect(id, "{{.State.Running}}"));

        // On an exited container -f returns at once with everything.
        var again = (await box.Run(TimeSpan.FromSeconds(10), "logs", "-f", id)).ShouldSucceed();
        Assert.Equal(["line1", "line2", "line3"], again.StdoutLines);
        (await box.Run("rm", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Rotation_caps_the_size_of_the_log()
    {
        const int maxSize = 10 * 1024, maxFiles = 2;
        // 3000 lines of 31 bytes: about 93 KB, over 4 times what 2 files of 10k may keep.
        var id = await box.RunDetached("--log-opt", "max-size=10k", "--log-opt", $"max-file={maxFiles}", "busybox", "sh", "-c",
            "i=0; while [ $i -lt 3000 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done");
        Assert.Equal(0, await box.Wait(id));

        var dir = Path.Combine(box.ContainersDir, id);
        var files = System.IO.Directory.GetFiles(dir, "container.log*").Select(f => new FileInfo(f)).ToList();
        var listing = string.Join(", ", files.Select(f => $"{f.Name}={f.Length}"));
        Assert.True(files.Count <= maxFiles, $"more than max-file={maxFiles} log files: {listing}");
        // A record is one read of the container's output (at most a pipe's 64 KiB, plus a 16-byte
        // header); rotation happens between records, so a file can exceed max-size by one record.
        long total = files.Sum(f => f.Length);
        Assert.True(total <= maxFiles * maxSize + 16 + 65536, $"the logs take {total} bytes: {listing}");

        var logs = (await box.Run("logs", id)).ShouldSucceed();
        Assert.Equal("line-2999-xxxxxxxxxxxxxxxxxxxx", logs.StdoutLines[^1]);
        Assert.DoesNotContain("line-0-xxxxxxxxxxxxxxxxxxxx", logs.StdoutLines);   // rotated away
        // What is left is a contiguous tail of the output, whole lines only.
        var numbers = logs.StdoutLines.Select(l =>
        {
            var m = Regex.Match(l, @"^line-(\d+)-x{20}$");
            Assert.True(m.Success, $"a torn or foreign line in the logs: '{l}'");
            return int.Parse(m.Groups[1].Value);
        }).ToList();
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
        Assert.Equal("line-2999-xxxxxxxxxxxxxxxxxxxx\n", (await box.Run("logs", "--tail", "1", id)).ShouldSucceed().Stdout);
        (await box.Run("rm", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Bad_log_options_are_refused()
    {
        var before = await box.Snapshot();
        (await box.Run("run", "--log-opt", "max-size=lots", "busybox", "true")).ShouldBeGockerError();
        (await box.Run("run", "--log-opt", "nosuchopt=1", "busybox", "true")).ShouldBeGockerError();
        await box.AssertNothingNew(before);
    }
}
