using System.Text.RegularExpressions;
using Gocker.Integration.Tests.Harness;
using Xunit.Abstractions;

namespace Gocker.Integration.Tests;

/// <summary>`gocker exec`: a command run inside a running container (its namespaces, root, env, user
/// and workdir), its exit code, stdio, terminal, signals and -d; and that nothing ever runs on the
/// host when the container cannot be entered. The tests are split into nested classes so that they
/// run in parallel (one root each); every test removes the containers it starts.</summary>
public static class ExecTests
{
    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..16];

    /// <summary>A path on the host's / that a command run on the host by mistake would create.</summary>
    private static string HostMarker() => $"/host-marker-{Guid.NewGuid():N}";

    /// <summary>A container started with `run -d` for one test; `rm -f` at the end.</summary>
    private sealed class Target(GockerSandbox box, string id, string name) : IAsyncDisposable
    {
        public string Id => id;
        public string Name => name;

        /// <summary>`run -d [OPTIONS] --name N busybox COMMAND` (default `sleep 1000`).</summary>
        public static async Task<Target> Start(GockerSandbox box, string[]? runOptions = null, params string[] command)
        {
            var name = NewName("ex");
            string[] cmd = command.Length == 0 ? ["sleep", "1000"] : command;
            var id = await box.RunDetached([.. runOptions ?? [], "--name", name, "busybox", .. cmd]);
            return new Target(box, id, name);
        }

        /// <summary>`exec NAME COMMAND...`</summary>
        public Task<GockerResult> Exec(params string[] command) => box.Run(["exec", name, .. command]);

        /// <summary>`exec OPTIONS... NAME COMMAND...`</summary>
        public Task<GockerResult> ExecWith(string[] options, params string[] command) =>
            box.Run(["exec", .. options, name, .. command]);

        /// <summary>Waits for a line of the container's own output through `logs -f` (an event).</summary>
        public async Task WaitForLogLine(string line)
        {
            using var logs = box.Start("logs", "-f", name);
            await logs.WaitForLineAsync(line, TimeSpan.FromSeconds(30));
        }

        public async ValueTask DisposeAsync() => (await box.Run("rm", "-f", id)).ShouldSucceed();
    }

    private static Dictionary<string, string> ParseEnv(GockerResult r)
    {
        var d = new Dictionary<string, string>();
        foreach (var line in r.StdoutLines)
        {
            int eq = line.IndexOf('=');
            Assert.True(eq > 0, $"not a KEY=VALUE line: '{line}'\n{r}");
            d[line[..eq]] = line[(eq + 1)..];
        }
        return d;
    }

    /// <summary>Exactly one stderr line, "gocker: ...", and nothing on stdout.</summary>
    private static string OneGockerLine(GockerResult r)
    {
        Assert.True(r.StderrLines.Length == 1 && r.StderrLines[0].StartsWith("gocker: ", StringComparison.Ordinal),
            $"expected exactly one 'gocker: ...' line on stderr\n{r}");
        Assert.True(r.Stdout.Length == 0, $"expected nothing on stdout\n{r}");
        return r.StderrLines[0];
    }

    /// <summary>Runs gocker with <paramref name="stdin"/> written while its output is read; the
    /// deadline covers the write too (the harness's runner writes stdin before its timeout starts,
    /// so a gocker that stops reading its stdin would hang it).</summary>
    private static async Task<GockerResult> RunFeeding(GockerSandbox box, string[] args, string stdin, TimeSpan timeout)
    {
        var spec = box.Spec(args);
        using var p = new System.Diagnostics.Process { StartInfo = spec.ToStartInfo() };
        p.Start();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var feed = Task.Run(async () =>
        {
            try
            {
                await p.StandardInput.WriteAsync(stdin);
                await p.StandardInput.FlushAsync();
                p.StandardInput.Close();
            }
            catch (IOException) { }   // it exited (or was killed) before reading everything
        });
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            var so = await stdout;
            Assert.Fail($"`{spec.CommandLine}` did not end within {timeout.TotalSeconds} s (killed); " +
                $"{so.Length} chars of stdout so far\n--- stderr ---\n{await stderr}");
        }
        await feed;
        return new GockerResult(p.ExitCode, await stdout, await stderr, spec.CommandLine);
    }

    // =============================================================================================

    /// <summary>Where the command runs: the container's namespaces and root; how the container is
    /// named; what happens when it is not (or no longer) running.</summary>
    public sealed class Namespaces(GockerSandbox box, ITestOutputHelper output) : IClassFixture<GockerSandbox>
    {
        [Fact]
        public async Task Exec_sees_the_containers_hostname()
        {
            await using var c = await Target.Start(box, ["-h", "myhost"]);
            Assert.Equal("myhost\n", (await c.Exec("hostname")).ShouldSucceed().Stdout);
            Assert.Equal("myhost\n", (await c.Exec("cat", "/proc/sys/kernel/hostname")).ShouldSucceed().Stdout);
        }

        [Fact]
        public async Task Exec_is_in_the_containers_pid_namespace()
        {
            await using var c = await Target.Start(box);
            var r = (await c.Exec("ps", "-o", "pid,args")).ShouldSucceed();
            var rows = r.StdoutLines.Skip(1).Select(l => l.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries)).ToList();
            Assert.True(rows.Count is >= 2 and <= 3, $"expected the container's init, ps and at most one more process\n{r}");
            Assert.Contains(rows, f => f[0] == "1" && f[1] == "sleep 1000");
            Assert.Contains(rows, f => f[1] == "ps -o pid,args");

            // The host's processes are not there: neither this test process nor the container's
            // init under its host pid (a process inside may have the same number, not the same argv).
            var initPid = await box.InitPid(c.Id);
            foreach (var hostPid in new[] { Environment.ProcessId, initPid })
            {
                var hostArgv = File.ReadAllText($"/proc/{hostPid}/cmdline").Replace('\0', ' ');
                var probe = (await c.Exec("sh", "-c", $"cat /proc/{hostPid}/cmdline 2>/dev/null | tr '\\0' ' '")).ShouldSucceed();
                Assert.True(probe.Stdout != hostArgv, $"host pid {hostPid} ({hostArgv}) is visible inside the container\n{probe}");
            }
        }

        [Fact]
        public async Task Exec_joins_every_namespace_of_the_containers_init()
        {
            await using var c = await Target.Start(box);
            var initPid = await box.InitPid(c.Id);
            foreach (var ns in new[] { "pid", "mnt", "uts", "ipc", "net", "cgroup" })
            {
                var inside = (await c.Exec("readlink", $"/proc/self/ns/{ns}")).ShouldSucceed().Stdout.Trim();
                var init = new FileInfo($"/proc/{initPid}/ns/{ns}").LinkTarget;
                var host = new FileInfo($"/proc/self/ns/{ns}").LinkTarget;
                Assert.True(inside == init, $"{ns}: exec'd process is in {inside}, the container's init in {init}");
                Assert.True(inside != host, $"{ns}: exec'd process is in the host's namespace {host}");
            }
        }

        [Fact]
        public async Task Exec_sees_the_containers_files_and_mounts()
        {
            await using var c = await Target.Start(box, null, "sh", "-c", "echo hi > /marker; echo ready; exec sleep 1000");
            await c.WaitForLogLine("ready");
            Assert.Equal("hi\n", (await c.Exec("cat", "/marker")).ShouldSucceed().Stdout);
            Assert.False(File.Exists("/marker") && File.ReadAllText("/marker") == "hi\n", "the container's /marker is on the host");

            var mounts = (await c.Exec("cat", "/proc/mounts")).ShouldSucceed();
            var root = mounts.StdoutLines.Select(l => l.Split(' ')).Where(f => f.Length > 2 && f[1] == "/").ToList();
            Assert.True(root.Count >= 1 && root[^1][2] == "overlay", $"/ is not the container's overlay\n{mounts}");

            // A file written through exec is seen by the container's own processes (same root).
            (await c.Exec("sh", "-c", "echo from-exec > /from-exec")).ShouldSucceed();
            Assert.Equal("from-exec\n", (await c.Exec("cat", "/from-exec")).ShouldSucceed().Stdout);
            var initPid = await box.InitPid(c.Id);
            Assert.Equal("from-exec\n", File.ReadAllText($"/proc/{initPid}/root/from-exec"));
        }

        [Fact]
        public async Task Container_is_found_by_name_full_id_and_unique_prefix()
        {
            await using var c = await Target.Start(box);
            foreach (var reference in new[] { c.Name, "/" + c.Name, c.Id, c.Id[..12], c.Id[..5] })
            {
                var r = (await box.Run("exec", reference, "hostname")).ShouldSucceed();
                Assert.Equal(c.Id[..12] + "\n", r.Stdout);   // the default hostname is the short id
            }
        }

        [Fact]
        public async Task Ambiguous_prefix_is_a_gocker_error_and_runs_nothing()
        {
            // 17 created containers: two of them share their first hex digit (pigeonhole). One of
            // that pair is started: exec PREFIX must refuse, not pick the running one.
            var ids = new List<string>();
            try
            {
                for (int i = 0; i < 17; i++)
                    ids.Add(await box.Create("busybox", "sleep", "1000"));
                var pair = ids.GroupBy(id => id[0]).First(g => g.Count() >= 2).ToList();
                (await box.Run("start", pair[0])).ShouldSucceed();
                var prefix = pair[0][..1];
                var r = await box.Run("exec", prefix, "touch", "/ambiguous");
                var line = r.ShouldBeGockerError();
                Assert.Contains("multiple", line);
                (await box.Run("exec", pair[0], "test", "-e", "/ambiguous")).ShouldExit(1);
            }
            finally
            {
                if (ids.Count > 0)
                    (await box.Run(["rm", "-f", .. ids])).ShouldSucceed();
            }
        }

        [Fact]
        public async Task Unknown_container_is_a_gocker_error_and_runs_nothing()
        {
            var marker = HostMarker();
            var line = (await box.Run("exec", "no-such-container-" + Guid.NewGuid().ToString("N")[..8], "touch", marker)).ShouldBeGockerError();
            Assert.Contains("No such container", line);
            Assert.False(File.Exists(marker), $"{marker} was created on the host");
        }

        [Fact]
        public async Task Exec_into_an_exited_container_is_a_gocker_error_and_runs_nothing()
        {
            var marker = HostMarker();
            var id = await box.RunDetached("busybox", "true");
            try
            {
                Assert.Equal(0, await box.Wait(id));
                var line = (await box.Run("exec", id, "touch", marker)).ShouldBeGockerError();
                Assert.Contains("not running", line);
                Assert.False(File.Exists(marker), $"{marker} was created on the host");
            }
            finally
            {
                if (File.Exists(marker)) File.Delete(marker);
                (await box.Run("rm", "-f", id)).ShouldSucceed();
            }
        }

        [Fact]
        public async Task Exec_into_a_created_container_is_a_gocker_error_and_runs_nothing()
        {
            var marker = HostMarker();
            var id = await box.Create("busybox", "sleep", "1000");
            try
            {
                var line = (await box.Run("exec", id, "touch", marker)).ShouldBeGockerError();
                Assert.Contains("not running", line);
                Assert.False(File.Exists(marker), $"{marker} was created on the host");
            }
            finally
            {
                if (File.Exists(marker)) File.Delete(marker);
                (await box.Run("rm", "-f", id)).ShouldSucceed();
            }
        }

        [Fact]
        public async Task Exec_racing_the_death_of_the_container_never_runs_on_the_host()
        {
            // SIGKILL to the init while execs start one after the other (about 1 ms apart, the
            // kill at a different moment each round, so that some are already in and some come
            // too late), then a few more: each one either fails as gocker's own error (125), or ran
            // inside the dying container (0; 137 when the kernel killed it with the rest of the PID
            // namespace). The host's / never gets the file.
            var marker = HostMarker();
            var outcomes = new List<GockerResult>();
            try
            {
                for (int round = 0; round < 5; round++)
                {
                    await using var c = await Target.Start(box);
                    var initPid = await box.InitPid(c.Id);
                    var inFlight = new List<Task<GockerResult>>();
                    var sw = System.Diagnostics.Stopwatch.StartNew();
                    bool killed = false;
                    while (!killed || sw.ElapsedMilliseconds < 40)
                    {
                        if (!killed && sw.ElapsedMilliseconds >= round * 5)
                        {
                            Libc.Kill(initPid, Sig.KILL);
                            killed = true;
                        }
                        inFlight.Add(c.Exec("touch", marker));   // started before it returns
                        var next = sw.ElapsedTicks + System.Diagnostics.Stopwatch.Frequency / 1000;
                        while (sw.ElapsedTicks < next) Thread.SpinWait(100);
                    }
                    for (int i = 0; i < 3; i++)
                        outcomes.Add(await c.Exec("touch", marker));
                    outcomes.AddRange(await Task.WhenAll(inFlight));
                    Assert.False(File.Exists(marker), $"{marker} was created on the host");

                    // Once the exit is recorded, exec must refuse.
                    Assert.Equal(137, await box.Wait(c.Id));
                    var after = await c.Exec("touch", marker);
                    Assert.Contains("not running", after.ShouldBeGockerError());
                    Assert.False(File.Exists(marker), $"{marker} was created on the host");
                }
                output.WriteLine("outcomes: " + string.Join(", ", outcomes.GroupBy(r => r.ExitCode).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}")));
                foreach (var r in outcomes)
                {
                    Assert.True(r.ExitCode is 0 or 125 or 137, $"unexpected outcome of an exec racing the container's death\n{r}");
                    if (r.ExitCode == 125)
                        OneGockerLine(r);
                }
            }
            finally
            {
                if (File.Exists(marker)) File.Delete(marker);
            }
        }

        [Fact]
        public async Task Container_without_a_shell_runs_commands_directly()
        {
            await using var c = await Target.Start(box);
            (await c.Exec("/bin/busybox", "rm", "/bin/sh")).ShouldSucceed();
            (await c.Exec("/bin/busybox", "test", "-e", "/bin/sh")).ShouldExit(1);
            Assert.Equal("ok\n", (await c.Exec("/bin/busybox", "echo", "ok")).ShouldSucceed().Stdout);
            Assert.Equal("via PATH\n", (await c.Exec("echo", "via PATH")).ShouldSucceed().Stdout);
            var sh = (await c.Exec("sh", "-c", "echo should-not-run")).ShouldExit(127);
            Assert.Contains("sh", OneGockerLine(sh));
        }

        [Fact]
        public async Task Concurrent_execs_each_get_their_own_output_and_status()
        {
            await using var c = await Target.Start(box);
            var runs = Enumerable.Range(0, 8)
                .Select(i => c.Exec("sh", "-c", $"echo out-{i}; echo err-{i} >&2; exit {i + 10}"))
                .ToList();
            var results = await Task.WhenAll(runs);
            for (int i = 0; i < results.Length; i++)
            {
                results[i].ShouldExit(i + 10);
                Assert.Equal($"out-{i}\n", results[i].Stdout);
                Assert.Equal($"err-{i}\n", results[i].Stderr);
            }
        }
    }

    // =============================================================================================

    /// <summary>What the command gets: arguments, exit codes, environment, user, workdir, fds.</summary>
    public sealed class Command(GockerSandbox box) : IClassFixture<GockerSandbox>
    {
        [Theory]
        [InlineData(0, "sh", "-c", "exit 0")]
        [InlineData(5, "sh", "-c", "exit 5")]
        [InlineData(255, "sh", "-c", "exit 255")]
        [InlineData(1, "false")]
        [InlineData(137, "sh", "-c", "kill -9 $$")]    // not PID 1: the signal kills it
        [InlineData(143, "sh", "-c", "kill -TERM $$")]
        public async Task Exit_code_is_the_commands(int expected, params string[] command)
        {
            await using var c = await Target.Start(box);
            var r = (await c.Exec(command)).ShouldExit(expected);
            Assert.Equal("", r.Stderr);
        }

        [Theory]
        [InlineData(126, "/etc/passwd")]   // not executable
        [InlineData(126, "/etc")]          // a directory
        [InlineData(127, "nosuchcmd")]
        [InlineData(127, "/no/such/path")]
        public async Task Command_that_cannot_run_gives_126_or_127_with_one_error_line(int expected, string command)
        {
            await using var c = await Target.Start(box);
            var r = (await c.Exec(command, "arg")).ShouldExit(expected);
            Assert.Contains(command, OneGockerLine(r));
        }

        [Fact]
        public async Task Stdout_and_stderr_stay_apart()
        {
            await using var c = await Target.Start(box);
            var r = (await c.Exec("sh", "-c", "echo out; echo err >&2; echo out2")).ShouldSucceed();
            Assert.Equal("out\nout2\n", r.Stdout);
            Assert.Equal("err\n", r.Stderr);
        }

        [Fact]
        public async Task Arguments_arrive_intact()
        {
            await using var c = await Target.Start(box);
            string[] args = ["a b", "", "it's", "\"q\"", "  lead and trail  ", "$HOME", "*", "back\\slash", "tab\there",
                "ünïcödé ✓", "line1\nline2", "-n", "--", ";", "`id`"];
            var r = (await c.Exec(["printf", "[%s]\\n", .. args])).ShouldSucceed();
            Assert.Equal(string.Concat(args.Select(a => $"[{a}]\n")), r.Stdout);
        }

        [Fact]
        public async Task A_100_kb_argument_arrives_intact()
        {
            await using var c = await Target.Start(box);
            const string chunk = "0123456789 abc'\"$x\\ ";
            var big = string.Concat(Enumerable.Repeat(chunk, 100 * 1024 / chunk.Length + 1))[..(100 * 1024)];
            var r = (await c.Exec("printf", "[%s]\\n", big, "after")).ShouldSucceed();
            Assert.True(r.Stdout == $"[{big}]\n[after]\n", $"the 100 KB argument was altered ({r.Stdout.Length} chars back)");
        }

        [Fact]
        public async Task Large_output_arrives_complete_and_in_order()
        {
            await using var c = await Target.Start(box);
            var r = (await c.Exec("seq", "1", "200000")).ShouldSucceed();
            Assert.True(r.Stdout == string.Concat(Enumerable.Range(1, 200000).Select(i => $"{i}\n")),
                $"seq 1 200000 came back altered: {r.Stdout.Length} chars");
        }

        [Fact]
        public async Task Reader_going_away_ends_the_command()
        {
            // `gocker exec C yes | head -n 1`: once head has gone, yes must get EPIPE/SIGPIPE as it
            // would outside a container, not write forever into a relay that discards its output.
            await using var c = await Target.Start(box);
            var r = (await ProcessRunner.RunAsync(new ProcessSpec
            {
                FileName = "/bin/sh",
                Args = ["-c", "\"$@\" | head -n 1", "sh", GockerBinary.Path, "--root", box.Root, "exec", c.Name, "yes"],
                Timeout = TimeSpan.FromSeconds(20),
            })).ShouldSucceed();
            Assert.Equal("y\n", r.Stdout);
            var ps = (await c.Exec("ps", "-o", "args")).ShouldSucceed();
            Assert.DoesNotContain("yes", ps.StdoutLines);
        }

        // ---- environment ----

        [Fact]
        public async Task E_values_keep_commas_and_equals_signs()
        {
            await using var c = await Target.Start(box);
            var env = ParseEnv((await c.ExecWith(["-e", "A=1,2,3=4", "-e", "EMPTY=", "-e", "SPACED=a b  c"], "env")).ShouldSucceed());
            Assert.Equal("1,2,3=4", env["A"]);
            Assert.Equal("", env["EMPTY"]);
            Assert.Equal("a b  c", env["SPACED"]);
        }

        [Fact]
        public async Task Containers_configured_environment_is_seen_not_its_processes_nor_the_hosts()
        {
            // The init exports INJECTED into its own /proc/PID/environ; only the configuration counts.
            await using var c = await Target.Start(box, ["-e", "CONT=1", "-e", "BOTH=from-run", "-h", "envhost"],
                "sh", "-c", "export INJECTED=evil; echo ready; exec sleep 1000");
            await c.WaitForLogLine("ready");
            var hostKey = $"GOCKER_IT_LEAK_{Guid.NewGuid():N}";
            var r = (await box.Run(["exec", "-e", "BOTH=from-exec", "-e", "NEW=x", c.Name, "env"],
                env: new() { [hostKey] = "leaked", ["FOO"] = "host-foo" })).ShouldSucceed();
            var env = ParseEnv(r);
            Assert.Equal("1", env["CONT"]);
            Assert.Equal("from-exec", env["BOTH"]);
            Assert.Equal("x", env["NEW"]);
            Assert.Equal("envhost", env["HOSTNAME"]);
            Assert.Equal("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", env["PATH"]);
            Assert.Equal("/root", env["HOME"]);
            Assert.DoesNotContain("INJECTED", env.Keys);
            Assert.DoesNotContain(hostKey, env.Keys);
            Assert.DoesNotContain("FOO", env.Keys);
            Assert.DoesNotContain("TERM", env.Keys);   // no -t
        }

        [Fact]
        public async Task Env_file_is_read_and_e_overrides_it()
        {
            var file = Path.Combine(box.Scratch, $"env-{Guid.NewGuid():N}");
            await File.WriteAllTextAsync(file, string.Join('\n',
                "# a comment", "", "ONE=1", "  TWO=two words", "#THREE=3", "LIST=a=b,c", "FROM_HOST", "OVERRIDDEN=file", ""));
            await using var c = await Target.Start(box, ["-e", "CONT=1"]);
            var r = (await box.Run(["exec", "--env-file", file, "-e", "OVERRIDDEN=flag", c.Name, "env"],
                env: new() { ["FROM_HOST"] = "hostval" })).ShouldSucceed();
            var env = ParseEnv(r);
            Assert.Equal("1", env["ONE"]);
            Assert.Equal("two words", env["TWO"]);
            Assert.Equal("a=b,c", env["LIST"]);
            Assert.Equal("hostval", env["FROM_HOST"]);
            Assert.Equal("flag", env["OVERRIDDEN"]);
            Assert.Equal("1", env["CONT"]);
            Assert.DoesNotContain("THREE", env.Keys);

            var missing = await box.Run("exec", "--env-file", Path.Combine(box.Scratch, "no-such-file"), c.Name, "touch", "/ran");
            missing.ShouldBeGockerError();
            (await c.Exec("test", "-e", "/ran")).ShouldExit(1);
        }

        // ---- workdir ----

        [Fact]
        public async Task Workdir_is_the_containers_unless_w_says_otherwise()
        {
            await using var c = await Target.Start(box, ["-w", "/tmp"]);
            Assert.Equal("/tmp\n", (await c.Exec("pwd")).ShouldSucceed().Stdout);
            Assert.Equal("/etc\n", (await c.ExecWith(["-w", "/etc"], "pwd")).ShouldSucceed().Stdout);
            Assert.Equal("passwd\n", (await c.ExecWith(["-w", "/etc"], "ls", "passwd")).ShouldSucceed().Stdout);
        }

        [Fact]
        public async Task Relative_workdir_is_a_gocker_error()
        {
            await using var c = await Target.Start(box);
            (await c.ExecWith(["-w", "relative/dir"], "touch", "/ran")).ShouldBeGockerError();
            (await c.Exec("test", "-e", "/ran")).ShouldExit(1);
        }

        [Fact]
        public async Task Missing_workdir_is_reported_as_such_not_as_a_missing_command()
        {
            // The command exists; the directory does not. The error must name the directory, and
            // not claim "pwd" was not found (127).
            await using var c = await Target.Start(box);
            var r = await c.ExecWith(["-w", "/no/such/dir"], "pwd");
            var line = r.ShouldBeGockerError();
            Assert.Contains("/no/such/dir", line);
        }

        // ---- user ----

        [Theory]
        [InlineData("root", "uid=0(root) gid=0(root)")]
        [InlineData("user", "uid=1000(user) gid=1000(user)")]
        [InlineData("1000", "uid=1000(user) gid=1000(user)")]
        [InlineData("1000:100", "uid=1000(user) gid=100(users)")]
        [InlineData("user:users", "uid=1000(user) gid=100(users)")]
        [InlineData("4242", "uid=4242 gid=0(root)")]
        public async Task U_sets_the_identity(string user, string expectedIdPrefix)
        {
            await using var c = await Target.Start(box);
            var r = (await c.ExecWith(["-u", user], "id")).ShouldSucceed();
            Assert.StartsWith(expectedIdPrefix, r.Stdout.Trim());
        }

        [Fact]
        public async Task User_is_the_containers_unless_u_says_otherwise()
        {
            await using var c = await Target.Start(box, ["-u", "user"]);
            Assert.StartsWith("uid=1000(user) gid=1000(user)", (await c.Exec("id")).ShouldSucceed().Stdout);
            Assert.Equal("/home/user\n", (await c.Exec("sh", "-c", "echo $HOME")).ShouldSucceed().Stdout);
            Assert.StartsWith("uid=0(root) gid=0(root)", (await c.ExecWith(["-u", "root"], "id")).ShouldSucceed().Stdout);
        }

        [Fact]
        public async Task Named_user_gets_its_home()
        {
            await using var c = await Target.Start(box);
            Assert.Equal("/home/user\n", (await c.ExecWith(["-u", "user"], "sh", "-c", "echo $HOME")).ShouldSucceed().Stdout);
        }

        [Theory]
        [InlineData("nosuchuser")]
        [InlineData("user:nosuchgroup")]
        public async Task Unknown_user_is_one_error_line_and_runs_nothing(string user)
        {
            await using var c = await Target.Start(box);
            var r = await c.ExecWith(["-u", user], "touch", "/ran");
            Assert.True(r.ExitCode != 0, $"expected a failure\n{r}");
            OneGockerLine(r);
            (await c.Exec("test", "-e", "/ran")).ShouldExit(1);
        }

        // ---- file descriptors ----

        [Fact]
        public async Task Callers_open_file_descriptors_do_not_reach_the_container()
        {
            // An fd of the caller's on a host directory, inherited by the command, would give the
            // container the host's filesystem through /proc/self/fd/N (a container escape).
            var secretDir = Path.Combine(box.Scratch, $"hostdir-{Guid.NewGuid():N}");
            Directory.CreateDirectory(secretDir);
            await File.WriteAllTextAsync(Path.Combine(secretDir, "secret"), "host-secret\n");
            await using var c = await Target.Start(box);

            Task<GockerResult> WithFd7(params string[] command) => ProcessRunner.RunAsync(new ProcessSpec
            {
                FileName = "/bin/sh",
                Args = ["-c", "exec 7<\"$1\"; shift; exec \"$@\"", "sh", secretDir, GockerBinary.Path, "--root", box.Root,
                    "exec", c.Name, .. command],
            });

            var fds = (await WithFd7("ls", "/proc/self/fd")).ShouldSucceed();
            // ls itself has its directory open as 3.
            Assert.True(fds.StdoutLines.Order().SequenceEqual(["0", "1", "2", "3"]),
                $"the command got file descriptors beyond stdio\n{fds}");
            var read = await WithFd7("cat", "/proc/self/fd/7/secret");
            Assert.True(!read.Stdout.Contains("host-secret") && read.ExitCode != 0,
                $"the container read a host file through an inherited fd\n{read}");
        }
    }

    // =============================================================================================

    /// <summary>stdin (-i or /dev/null), -d, signals to the `gocker exec` process, and the end of
    /// the container while an exec runs.</summary>
    public sealed class Io(GockerSandbox box) : IClassFixture<GockerSandbox>
    {
        [Fact]
        public async Task I_passes_stdin()
        {
            await using var c = await Target.Start(box);
            var r = (await box.Run(["exec", "-i", c.Name, "cat"], stdin: "data\nmore data\n")).ShouldSucceed();
            Assert.Equal("data\nmore data\n", r.Stdout);

            var big = new string('x', 1024 * 1024);
            var wc = (await box.Run(["exec", "-i", c.Name, "wc", "-c"], stdin: big)).ShouldSucceed();
            Assert.Equal((1024 * 1024).ToString(), wc.Stdout.Trim());
        }

        [Fact]
        public async Task Without_i_stdin_is_empty_even_while_the_callers_stays_open()
        {
            await using var c = await Target.Start(box);
            // The caller's stdin is a pipe with data in it that is never closed: without -i, cat
            // must see /dev/null and end at once.
            var spec = box.Spec(["exec", c.Name, "sh", "-c", "cat; read x; echo \"rc=$? x=<$x>\""]);
            using var p = new System.Diagnostics.Process { StartInfo = spec.ToStartInfo() };
            p.Start();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            try
            {
                await p.StandardInput.WriteAsync("data\n");
                await p.StandardInput.FlushAsync();
            }
            catch (IOException)
            {
                // gocker exec may already have put /dev/null in place of the pipe: nobody reads it.
            }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail($"exec without -i waited for the caller's stdin\nstdout: {await stdout}\nstderr: {await stderr}");
            }
            var r = new GockerResult(p.ExitCode, await stdout, await stderr, spec.CommandLine).ShouldSucceed();
            Assert.Equal("rc=1 x=<>\n", r.Stdout);
            try { p.StandardInput.Close(); } catch (IOException) { }
        }

        [Fact]
        public async Task I_with_a_command_that_writes_before_it_reads_does_not_deadlock()
        {
            // 1 MB of output first, then stdin is read: neither stream may wait for the other
            // (each is larger than a pipe's buffer).
            await using var c = await Target.Start(box);
            var input = new string('i', 1024 * 1024);
            var r = (await RunFeeding(box, ["exec", "-i", c.Name, "sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' o; wc -c"],
                input, TimeSpan.FromSeconds(30))).ShouldSucceed();
            Assert.True(r.Stdout == new string('o', 1000000) + (1024 * 1024) + "\n",
                $"unexpected output: {r.Stdout.Length} chars, ending '{r.Stdout[Math.Max(0, r.Stdout.Length - 20)..]}'");
        }

        // ---- -d ----

        [Fact]
        public async Task D_returns_at_once_and_the_command_runs()
        {
            await using var c = await Target.Start(box);
            using var exec = box.Start("exec", "-d", c.Name, "sh", "-c", "sleep 1; echo done > /d; exec sleep 600");
            Assert.Equal(0, await exec.WaitForProcessExitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal("", exec.StdoutSoFar);
            Assert.Equal("", exec.StderrSoFar);

            // No event announces the detached command's progress: poll with a deadline.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            GockerResult r;
            while ((r = await c.Exec("cat", "/d")).ExitCode != 0 && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.Equal("done\n", r.ShouldSucceed().Stdout);
        }

        [Fact]
        public async Task D_does_not_keep_the_callers_stdout_open()
        {
            // Whoever reads `gocker exec -d`'s output until EOF (a pipe, $(...)) must not wait for
            // the detached command.
            await using var c = await Target.Start(box);
            using var exec = box.Start("exec", "-d", c.Name, "sleep", "600");
            Assert.Equal(0, await exec.WaitForProcessExitAsync(TimeSpan.FromSeconds(10)));
            try
            {
                await exec.StdoutClosed.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                Assert.Fail("gocker exec -d exited but its stdout is still held open (by the detached command)");
            }
        }

        [Fact]
        public async Task D_command_is_reparented_to_the_containers_init()
        {
            await using var c = await Target.Start(box);
            var initPid = await box.InitPid(c.Id);
            var unique = Random.Shared.Next(100_000, 999_999).ToString();
            using var exec = box.Start("exec", "-d", c.Name, "sleep", unique);
            Assert.Equal(0, await exec.WaitForProcessExitAsync(TimeSpan.FromSeconds(10)));
            int pid = 0;
            await Poll.Until(() => (pid = ProcFs.LiveProcessesWithArg(unique).FirstOrDefault()) > 0,
                $"the detached `sleep {unique}` to show up", TimeSpan.FromSeconds(10));
            var ppid = ProcFs.ParentPid(pid);
            Assert.True(ppid == initPid,
                $"the detached command (host pid {pid}) has parent {ppid} ({string.Join(' ', ProcFs.Argv(ppid) ?? [])}), not the container's init {initPid}");
            var ps = (await c.Exec("ps", "-o", "ppid,args")).ShouldSucceed();
            Assert.Contains(ps.StdoutLines, l => Regex.IsMatch(l, $@"^\s*1\s+sleep {unique}$"));
        }

        [Theory]
        [InlineData("-t")]
        [InlineData("-i")]
        [InlineData("-it")]
        public async Task D_with_a_terminal_or_stdin_is_refused(string flag)
        {
            await using var c = await Target.Start(box);
            var line = (await c.ExecWith(["-d", flag], "touch", "/ran")).ShouldBeGockerError();
            Assert.Contains("Conflicting options", line);
            (await c.Exec("test", "-e", "/ran")).ShouldExit(1);
        }

        [Theory]
        [InlineData("nosuchcmd", new string[0])]
        [InlineData("true", new[] { "-u", "nosuchuser" })]
        [InlineData("true", new[] { "-w", "/no/such/dir" })]
        public async Task D_reports_a_command_that_cannot_start(string command, string[] options)
        {
            // As with Docker, -d detaches from a command that runs, not from the failure to start it.
            await using var c = await Target.Start(box);
            var r = await c.ExecWith(["-d", .. options], command);
            Assert.True(r.ExitCode != 0, $"exec -d of a command that cannot start reported success\n{r}");
            OneGockerLine(r);
        }

        // ---- signals ----

        [Theory]
        [InlineData(Sig.TERM, 42)]
        [InlineData(Sig.INT, 43)]
        [InlineData(Sig.HUP, 44)]
        [InlineData(Sig.USR1, 45)]
        [InlineData(Sig.USR2, 46)]
        [InlineData(Sig.QUIT, 47)]
        public async Task Signal_to_gocker_exec_reaches_the_command(int sig, int exitCode)
        {
            await using var c = await Target.Start(box);
            var name = Sig.Name(sig);
            using var exec = box.Start("exec", c.Name, "sh", "-c",
                $"trap 'echo got {name}; exit {exitCode}' {name}; echo ready; while :; do sleep 0.1; done");
            await exec.WaitForLineAsync("ready");   // the trap is installed
            exec.Signal(sig);
            var r = (await exec.WaitForExitAsync()).ShouldExit(exitCode);
            Assert.Contains($"got {name}", r.StdoutLines);
            // The container itself is untouched.
            Assert.Equal("true", await box.Inspect(c.Id, "{{.State.Running}}"));
        }

        [Fact]
        public async Task Untrapped_term_to_gocker_exec_ends_the_command_with_143()
        {
            await using var c = await Target.Start(box);
            using var exec = box.Start("exec", c.Name, "sh", "-c", "echo ready; exec sleep 1000");
            await exec.WaitForLineAsync("ready");
            exec.Signal(Sig.TERM);
            (await exec.WaitForExitAsync()).ShouldExit(143);
            Assert.Equal("true", await box.Inspect(c.Id, "{{.State.Running}}"));
        }

        [Fact]
        public async Task Exec_ends_when_the_container_is_killed()
        {
            await using var c = await Target.Start(box);
            using var exec = box.Start("exec", c.Name, "sh", "-c", "echo ready; while :; do sleep 1; done");
            await exec.WaitForLineAsync("ready");
            (await box.Run("kill", c.Name)).ShouldSucceed();
            // The PID namespace's init is gone: the kernel kills everything left in it.
            (await exec.WaitForExitAsync(TimeSpan.FromSeconds(20))).ShouldExit(137);
        }
    }

    // =============================================================================================

    /// <summary>-t through real terminals (script, tmux).</summary>
    public sealed class Terminal(GockerSandbox box) : IClassFixture<GockerSandbox>
    {
        private static Task<GockerResult> InScript(string commandLine) =>
            ProcessRunner.RunAsync(new ProcessSpec
            {
                FileName = "script",
                Args = ["-q", "-e", "-c", commandLine, "/dev/null"],
                Env = new() { ["SHELL"] = "/bin/sh" },
            });

        private static string[] Lines(string s) => GockerResult.SplitLines(s.Replace("\r", ""));

        [Fact]
        public async Task T_gives_the_command_a_pty_of_the_container()
        {
            await using var c = await Target.Start(box);
            var cmd = box.ShellCommand("exec", "-t", c.Name, "sh", "-c",
                "tty; test -t 0 && echo TTY; test -t 1 && echo TTY1; echo TERM=$TERM; exit 4");
            var r = (await InScript(cmd)).ShouldExit(4);
            var lines = Lines(r.Stdout);
            Assert.True(lines.Length == 4 && Regex.IsMatch(lines[0], @"^/dev/pts/\d+$"), $"unexpected output\n{r}");
            Assert.Equal(["TTY", "TTY1", "TERM=xterm"], lines[1..]);
            // The pty is the container's (its devpts), not one of the host's.
            var ptys = (await c.Exec("ls", "/dev/pts")).ShouldSucceed();
            Assert.Contains("ptmx", ptys.StdoutLines);
        }

        [Fact]
        public async Task Without_t_there_is_no_terminal_even_on_a_terminal()
        {
            await using var c = await Target.Start(box);
            var cmd = box.ShellCommand("exec", c.Name, "sh", "-c", "test -t 0 || echo in-notty; test -t 1 || echo out-notty; echo TERM=${TERM-unset}");
            var r = (await InScript(cmd)).ShouldSucceed();
            Assert.Equal(["in-notty", "out-notty", "TERM=unset"], Lines(r.Stdout));
        }

        [Fact]
        public async Task Without_t_the_command_cannot_change_the_host_terminal()
        {
            // As for run: without -t the command's stdio must not be the caller's terminal (stty,
            // TIOCSTI, job control on it from inside the container).
            await using var c = await Target.Start(box);
            var id = Guid.NewGuid().ToString("N")[..8];
            string done = Path.Combine(box.Scratch, $"done-{id}"),
                before = Path.Combine(box.Scratch, $"stty-before-{id}"),
                after = Path.Combine(box.Scratch, $"stty-after-{id}");
            var gocker = box.ShellCommand("exec", c.Name, "sh", "-c", "stty -echo <&1; echo stty-rc=$?");
            var outer = $"stty -g > {Shell.Quote(before)}; {gocker}; stty -g > {Shell.Quote(after)}; touch {Shell.Quote(done)}; sleep 60";
            await using var tmux = await Tmux.StartAsync(box.Scratch, 80, 24, "sh -c " + Shell.Quote(outer));
            await Poll.Until(() => File.Exists(done), "gocker exec to end");
            Assert.True(File.ReadAllText(before) == File.ReadAllText(after),
                $"an exec without -t changed the host terminal's settings; screen:\n{await tmux.Capture()}");
        }

        [Fact]
        public async Task It_without_a_terminal_is_refused()
        {
            await using var c = await Target.Start(box);
            var line = (await c.ExecWith(["-it"], "touch", "/ran")).ShouldBeGockerError();
            Assert.Contains("not a TTY", line);
            (await c.Exec("test", "-e", "/ran")).ShouldExit(1);
        }

        [Fact]
        public async Task Window_size_changes_reach_the_exec_d_shell()
        {
            await using var c = await Target.Start(box);
            var gocker = box.ShellCommand("exec", "-it", c.Name, "sh");
            var socketsBefore = Directory.GetFiles(box.Scratch, "tmux-*.sock").ToHashSet();
            await using var tmux = await Tmux.StartAsync(box.Scratch, 100, 30, gocker + "; sleep 60");
            var socket = Directory.GetFiles(box.Scratch, "tmux-*.sock").Single(f => !socketsBefore.Contains(f));

            await tmux.WaitForScreen(s => s.Contains("/ #"), "the exec'd shell's prompt");
            await tmux.TypeLine("stty size");
            await tmux.WaitForScreen(s => s.Contains("30 100"), "'30 100'");
            (await ProcessRunner.RunAsync(new ProcessSpec
            {
                FileName = "tmux",
                Args = ["-S", socket, "resize-window", "-x", "120", "-y", "40"],
                Env = new() { ["TERM"] = Environment.GetEnvironmentVariable("TERM") ?? "xterm", ["TMUX"] = null },
                Timeout = TimeSpan.FromSeconds(20),
            })).ShouldSucceed();
            // The resize reaches the command through SIGWINCH to gocker exec, asynchronously: ask
            // again (no event to wait for) until the new size shows, with a deadline.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            for (int i = 0; ; i++)
            {
                await tmux.TypeLine($"echo size-{i}=$(stty size)");
                var screen = await tmux.WaitForScreen(s => Regex.IsMatch(s, $@"size-{i}=\d+ \d+"), $"answer {i}");
                if (Regex.Match(screen, $@"size-{i}=(\d+ \d+)").Groups[1].Value == "40 120")
                    break;
                if (DateTime.UtcNow > deadline)
                    Assert.Fail($"the exec'd shell did not get the new window size 40 120; screen:\n{screen}");
                await Task.Delay(100);
            }
            await tmux.TypeLine("exit");
        }

        [Fact]
        public async Task Interactive_shell_in_tmux_sees_the_window_size_and_gives_its_exit_code()
        {
            await using var c = await Target.Start(box);
            var id = Guid.NewGuid().ToString("N")[..8];
            string exitFile = Path.Combine(box.Scratch, $"exit-{id}"),
                before = Path.Combine(box.Scratch, $"stty-before-{id}"),
                after = Path.Combine(box.Scratch, $"stty-after-{id}");
            var gocker = box.ShellCommand("exec", "-it", c.Name, "sh");
            var outer = $"stty -g > {Shell.Quote(before)}; {gocker}; echo EXIT=$? > {Shell.Quote(exitFile)}.tmp; " +
                        $"stty -g > {Shell.Quote(after)}; mv {Shell.Quote(exitFile)}.tmp {Shell.Quote(exitFile)}; sleep 60";
            await using var tmux = await Tmux.StartAsync(box.Scratch, 100, 30, "sh -c " + Shell.Quote(outer));

            await tmux.WaitForScreen(s => s.Contains("/ #"), "the exec'd shell's prompt");
            await tmux.TypeLine("stty size; tty; echo pid-$$");
            var screen = await tmux.WaitForScreen(s => s.Contains("30 100") && Regex.IsMatch(s, @"/dev/pts/\d+"), "'30 100' and /dev/pts/N");
            Assert.DoesNotContain("pid-1\n", screen);   // not the container's init

            await tmux.TypeLine("exit 3");
            await Poll.Until(() => File.Exists(exitFile), "gocker exec to end and the outer shell to record its status");
            Assert.Equal("EXIT=3", File.ReadAllText(exitFile).Trim());
            // The host terminal was raw while exec -it ran; it must be as it was afterwards.
            Assert.Equal(File.ReadAllText(before), File.ReadAllText(after));
            Assert.Equal("true", await box.Inspect(c.Id, "{{.State.Running}}"));
        }

        [Fact]
        public async Task Ctrl_c_on_the_terminal_goes_to_the_exec_d_command()
        {
            await using var c = await Target.Start(box);
            var exitFile = Path.Combine(box.Scratch, $"exit-{Guid.NewGuid():N}");
            var gocker = box.ShellCommand("exec", "-it", c.Name, "sh", "-c",
                "trap 'echo caught-int; exit 9' INT; echo ready; while :; do sleep 0.1; done");
            var outer = $"{gocker}; echo EXIT=$? > {Shell.Quote(exitFile)}.tmp; mv {Shell.Quote(exitFile)}.tmp {Shell.Quote(exitFile)}; sleep 60";
            await using var tmux = await Tmux.StartAsync(box.Scratch, 80, 24, "sh -c " + Shell.Quote(outer));

            await tmux.WaitForScreen(s => s.Contains("ready"), "the command to be ready");
            await tmux.SendKey("C-c");
            await Poll.Until(() => File.Exists(exitFile), "gocker exec to end");
            Assert.Equal("EXIT=9", File.ReadAllText(exitFile).Trim());
            Assert.Contains("caught-int", await tmux.Capture());
        }
    }
}
