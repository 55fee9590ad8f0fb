using System.Diagnostics;
using System.Runtime.CompilerServices;
using Gocker.Core.State;

namespace Gocker.Core.Tests.State;

public class StateStoreConcurrencyTests
{
    [Fact]
    public void ParallelAddersLoseNothing()
    {
        using var t = new TempStore();
        const int threads = 20, each = 25;
        RunThreads(threads, i =>
        {
            // A StateStore of its own per thread, as separate processes would have; every Update opens
            // its own lock fd anyway (flock belongs to the open file description).
            using var store = new StateStore(t.Path);
            for (int k = 0; k < each; k++)
                store.Update(tx => tx.Add(TempStore.NewRecord($"t{i}-{k}")));
        });
        AssertConsistent(t.Store.ReadAll(), threads * each);
    }

    [Fact]
    public void ParallelProcessesAndThreadsLoseNothing()
    {
        using var t = new TempStore();
        const int processes = 3, threads = 8, each = 25;
        var children = Enumerable.Range(0, processes).Select(p => ChildProcess.Start(t.Path, $"p{p}", each)).ToList();
        RunThreads(threads, i =>
        {
            for (int k = 0; k < each; k++)
                t.Store.Update(tx => tx.Add(TempStore.NewRecord($"t{i}-{k}")));
        });
        foreach (var c in children)
            ChildProcess.AssertSucceeded(c);
        AssertConsistent(t.Store.ReadAll(), (processes + threads) * each);
    }

    [Fact]
    public void ParallelPutRemoveAndReadersStayConsistent()
    {
        using var t = new TempStore();
        var seeded = t.Store.Update(tx => Enumerable.Range(0, 100).Select(i => tx.Add(TempStore.NewRecord($"s{i}"))).ToList());
        int removed = 0, added = 0;
        var puts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();

        // Readers run all along: they must never see a torn record or a duplicate.
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            int reads = 0;
            while (!stop.IsCancellationRequested || reads == 0)
            {
                var snap = t.Store.ReadAll();
                Assert.Equal(0, snap.TornRecords);
                Assert.Equal(snap.Records.Count, snap.Records.Select(r => r.Id).Distinct().Count());
                Assert.Equal(snap.Records.Count, snap.Records.Select(r => r.Slot).Distinct().Count());
                reads++;
            }
            return reads;
        })).ToList();

        RunThreads(10, w =>
        {
            var rnd = new Random(w);
            for (int k = 0; k < 40; k++)
            {
                var target = seeded[rnd.Next(seeded.Count)];
                switch (rnd.Next(3))
                {
                    case 0:
                        // Read-modify-write inside the transaction: increments never get lost.
                        t.Store.Update(tx =>
                        {
                            if (tx.Records.FirstOrDefault(r => r.Id == target.Id) is { } cur)
                            {
                                tx.Put(cur with { ExitCode = cur.ExitCode + 1, Status = ContainerStatus.Running });
                                puts.AddOrUpdate(cur.Id, 1, (_, n) => n + 1);
                            }
                        });
                        break;
                    case 1:
                        try
                        {
                            t.Store.Update(tx => tx.Remove(target));
                            Interlocked.Increment(ref removed);
                        }
                        catch (GockerException e) when (e.Message.StartsWith("No such container"))
                        {
                        }
                        break;
                    default:
                        t.Store.Update(tx => tx.Add(TempStore.NewRecord($"w{w}-{k}")));
                        Interlocked.Increment(ref added);
                        break;
                }
            }
        });
        stop.Cancel();
        Assert.All(readers.Select(r => r.Result), n => Assert.True(n > 0));

        var snap = t.Store.ReadAll();
        AssertConsistent(snap, 100 - removed + added);
        // Each Put incremented under the lock: a survivor's exit code is exactly its number of puts.
        Assert.All(snap.Records, r => Assert.Equal(puts.GetValueOrDefault(r.Id), r.ExitCode));
        Assert.NotEmpty(puts);
    }

    /// <summary>Real threads, released together (the thread pool would start only a couple).</summary>
    private static void RunThreads(int count, Action<int> body)
    {
        using var start = new Barrier(count);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            try { body(i); }
            catch (Exception e) { errors.Enqueue(e); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (!errors.IsEmpty)
            throw new AggregateException(errors);
    }

    private static void AssertConsistent(StoreSnapshot snap, int expected)
    {
        Assert.Equal(0, snap.TornRecords);
        Assert.Equal(expected, snap.Records.Count);
        Assert.Equal(expected, snap.Records.Select(r => r.Id).Distinct().Count());
        Assert.Equal(expected, snap.Records.Select(r => r.Slot).Distinct().Count());
        Assert.Equal(expected, snap.Records.Select(r => r.Name).Distinct().Count());
        Assert.True(snap.SlotCount >= expected);
    }
}

/// <summary>
/// Another process on the same store: the test assembly run again with `dotnet exec`, with an
/// environment variable that makes this module initializer do the child's work and exit before the
/// (empty) generated Main. In the test host the variable is unset and this does nothing.
/// </summary>
internal static class ChildProcess
{
    private const string Variable = "GOCKER_STATE_TEST_CHILD";

    [ModuleInitializer]
    internal static void RunIfChild()
    {
        var spec = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(spec))
            return;
        try
        {
            var parts = spec.Split('|'); // path|prefix|count
            using var store = new StateStore(parts[0]);
            for (int k = 0, n = int.Parse(parts[2]); k < n; k++)
                store.Update(tx => tx.Add(TempStore.NewRecord($"{parts[1]}-{k}")));
            Environment.Exit(0);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e);
            Environment.Exit(3);
        }
    }

    public static System.Diagnostics.Process Start(string path, string prefix, int count)
    {
        var psi = new ProcessStartInfo(DotnetHost()) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        psi.Environment[Variable] = $"{path}|{prefix}|{count}";
        return System.Diagnostics.Process.Start(psi)!;
    }

    public static void AssertSucceeded(System.Diagnostics.Process p)
    {
        var err = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), "child process hung");
        Assert.True(p.ExitCode == 0, $"child process failed ({p.ExitCode}): {err.Result}");
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            return host;
        if (Environment.ProcessPath is { } self && System.IO.Path.GetFileName(self) == "dotnet")
            return self;
        // <dotnet root>/shared/Microsoft.NETCore.App/<version>/
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(
            System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = System.IO.Path.Combine(root, "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
