using System.Text.RegularExpressions;

namespace Gocker.Integration.Tests.Harness;

/// <summary>One row of `ps -a --no-trunc`: full id, name, Docker's status text ("Up 2 seconds",
/// "Exited (3) 1 second ago", "Created", "Dead"...) and the state word ("running", "exited"...).</summary>
public sealed record PsRow(string Id, string Name, string Status, string State)
{
    public bool IsUp => Status.StartsWith("Up", StringComparison.Ordinal);
}

/// <summary>What exists on a root at one moment: the entries under &lt;root&gt;/containers and the ids
/// `ps -a` lists.</summary>
public sealed record ContainerSnapshot(HashSet<string> Dirs, HashSet<string> Ids, HashSet<int> Processes);

/// <summary>The lifecycle commands as the tests use them, each asserting that gocker itself succeeded
/// where a test only wants the answer.</summary>
public static partial class ContainerCommands
{
    [GeneratedRegex("^[0-9a-f]{64}$")]
    public static partial Regex FullId();

    public static Task<GockerResult> Run(this GockerSandbox box, TimeSpan timeout, params string[] args) =>
        ProcessRunner.RunAsync(box.Spec(args, timeout: timeout));

    /// <summary>`run -d ARGS...`: succeeds, prints one full id; returns it.</summary>
    public static async Task<string> RunDetached(this GockerSandbox box, params string[] args) =>
        SingleId((await box.Run(["run", "-d", .. args])).ShouldSucceed());

    /// <summary>`create ARGS...`: succeeds, prints one full id; returns it.</summary>
    public static async Task<string> Create(this GockerSandbox box, params string[] args) =>
        SingleId((await box.Run(["create", .. args])).ShouldSucceed());

    private static string SingleId(GockerResult r)
    {
        Assert.True(r.StdoutLines.Length == 1 && FullId().IsMatch(r.StdoutLines[0]),
            $"expected exactly one 64-hex id on stdout\n{r}");
        return r.StdoutLines[0];
    }

    /// <summary>`inspect -f TEMPLATE C`, succeeding; its stdout without the final newline.</summary>
    public static async Task<string> Inspect(this GockerSandbox box, string container, string template)
    {
        var r = (await box.Run("inspect", "-f", template, container)).ShouldSucceed();
        return r.Stdout.EndsWith('\n') ? r.Stdout[..^1] : r.Stdout;
    }

    /// <summary>`wait C`: succeeds and prints one exit code; returns it.</summary>
    public static async Task<int> Wait(this GockerSandbox box, string container, TimeSpan? timeout = null)
    {
        var r = (await box.Run(timeout ?? TimeSpan.FromSeconds(30), "wait", container)).ShouldSucceed();
        Assert.True(r.StdoutLines.Length == 1 && int.TryParse(r.StdoutLines[0], out _), $"expected one exit code\n{r}");
        return int.Parse(r.StdoutLines[0]);
    }

    /// <summary>Every container of the root, as `ps -a --no-trunc` shows it (which must succeed).</summary>
    public static async Task<List<PsRow>> PsAll(this GockerSandbox box)
    {
        var r = (await box.Run("ps", "-a", "--no-trunc", "--format", "{{.ID}}\t{{.Names}}\t{{.Status}}\t{{.State}}")).ShouldSucceed();
        return r.StdoutLines.Select(l =>
        {
            var f = l.Split('\t');
            Assert.True(f.Length == 4 && FullId().IsMatch(f[0]), $"unexpected ps line '{l}'\n{r}");
            return new PsRow(f[0], f[1], f[2], f[3]);
        }).ToList();
    }

    /// <summary>The `ps -a` row of a container (by full id or name), or null if it is not listed.</summary>
    public static async Task<PsRow?> PsRowOf(this GockerSandbox box, string idOrName) =>
        (await box.PsAll()).SingleOrDefault(row => row.Id == idOrName || row.Name == idOrName);

    /// <summary>The container init's host pid, once the state records it.</summary>
    public static async Task<int> InitPid(this GockerSandbox box, string container)
    {
        int pid = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((pid = int.Parse(await box.Inspect(container, "{{.State.Pid}}"))) <= 0)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"inspect {container} never gave a pid");
            await Task.Delay(20);
        }
        return pid;
    }

    public static async Task<ContainerSnapshot> Snapshot(this GockerSandbox box) =>
        new(box.LeftoverContainers().ToHashSet(), (await box.PsAll()).Select(r => r.Id).ToHashSet(), box.GockerProcesses().ToHashSet());

    /// <summary>Nothing was added since <paramref name="before"/>: no directory under containers, no
    /// record in `ps -a`, no process of this root (`run` spawns its monitor before it makes the
    /// container: one whose container was never made must be gone).</summary>
    public static async Task AssertNothingNew(this GockerSandbox box, ContainerSnapshot before)
    {
        await box.WaitForDeferredRemovals(before.Processes);
        var now = await box.Snapshot();
        var dirs = now.Dirs.Except(before.Dirs).ToList();
        var ids = now.Ids.Except(before.Ids).ToList();
        var processes = now.Processes.Except(before.Processes).Select(p => $"{p}: {string.Join(' ', ProcFs.Argv(p) ?? [])}").ToList();
        Assert.True(dirs.Count == 0 && ids.Count == 0 && processes.Count == 0,
            $"left behind: directories [{string.Join(", ", dirs)}], records [{string.Join(", ", ids)}], processes [{string.Join(", ", processes)}]");
    }

    /// <summary>An attached `run --rm` returns before its monitor has deleted the container's directory
    /// (moved into &lt;root&gt;/trash) and ended: polls, as no event announces either, until the trash is
    /// empty and no process of the root is left but <paramref name="known"/> (when given). Returns at
    /// the timeout regardless: the caller's assertions then say what is left.</summary>
    public static async Task WaitForDeferredRemovals(this GockerSandbox box, IReadOnlySet<int>? known = null, TimeSpan? timeout = null)
    {
        var trash = Path.Combine(box.Root, "trash");
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            bool trashEmpty = !System.IO.Directory.Exists(trash) || System.IO.Directory.GetFileSystemEntries(trash).Length == 0;
            if (trashEmpty && (known is null || box.GockerProcesses().All(known.Contains)))
                return;
            await Task.Delay(20);
        }
    }

    /// <summary>The container is neither in `ps -a` nor on disk.</summary>
    public static async Task AssertGone(this GockerSandbox box, string id)
    {
        Assert.True(await box.PsRowOf(id) is null, $"{id} is still listed by ps -a");
        Assert.False(System.IO.Directory.Exists(Path.Combine(box.ContainersDir, id)), $"{box.ContainersDir}/{id} still exists");
    }

    /// <summary>Polls `ps -a` (no event announces a removal by the monitor) until the container is gone.</summary>
    public static async Task WaitUntilGone(this GockerSandbox box, string id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (await box.PsRowOf(id) is not null || System.IO.Directory.Exists(Path.Combine(box.ContainersDir, id)))
        {
            if (DateTime.UtcNow > deadline)
            {
                await box.AssertGone(id);
                return;
            }
            await Task.Delay(50);
        }
    }

    /// <summary>`rm -f` of every container of the root; afterwards none is left, listed or on disk.</summary>
    public static async Task RemoveAll(this GockerSandbox box)
    {
        var ids = (await box.PsAll()).Select(r => r.Id).ToArray();
        if (ids.Length > 0)
            (await box.Run(["rm", "-f", .. ids])).ShouldSucceed();
        Assert.Empty(await box.PsAll());
        box.AssertNoLeftoverContainers();
    }
}
