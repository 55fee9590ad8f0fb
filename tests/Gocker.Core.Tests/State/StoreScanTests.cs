using System.Buffers.Binary;
using System.Text;
using Gocker.Core.Containers;
using Gocker.Core.Formatting;
using Gocker.Core.State;
using RecordStatus = Gocker.Core.State.ContainerStatus;

namespace Gocker.Core.Tests.State;

/// <summary>StateStore.ScanRecords sees what ReadAll sees, without decoding.</summary>
public class StoreScanTests
{
    /// <summary>Decodes every visited record (ToRecord) and checks the in-place fields against it.</summary>
    private struct Collect : IRecordVisitor
    {
        public List<ContainerRecord> Records;
        public int BegunWith;

        public void Begin(int slots)
        {
            BegunWith = slots;
            Records = [];
        }

        public void Visit(RecordView r)
        {
            var d = r.ToRecord();
            Assert.Equal(d.Slot, r.Slot);
            Assert.Equal(d.Id, Convert.ToHexStringLower(r.Id));
            Assert.Equal(d.Name, Encoding.UTF8.GetString(r.Name));
            Assert.Equal(d.Image, Encoding.UTF8.GetString(r.Image));
            Assert.Equal(d.Command, Encoding.UTF8.GetString(r.Command));
            Assert.Equal(d.Ports, Encoding.UTF8.GetString(r.Ports));
            Assert.Equal(d.Status, r.Status);
            Assert.Equal(d.ExitCode, r.ExitCode);
            Assert.Equal(d.OomKilled, r.OomKilled);
            Assert.Equal(d.Pid, r.Pid);
            Assert.Equal(d.PidStartTime, r.PidStartTime);
            Assert.Equal(d.MonitorPid, r.MonitorPid);
            Assert.Equal(d.Generation, r.Generation);
            Assert.Equal(d.CreatedAt, r.CreatedAt);
            Assert.Equal(d.StartedAt, r.StartedAt);
            Assert.Equal(d.FinishedAt, r.FinishedAt);
            Records.Add(d);
        }
    }

    private static (List<ContainerRecord> Records, ScanSummary Summary, int BegunWith) Scan(StateStore store)
    {
        var c = new Collect();
        var summary = store.ScanRecords(ref c);
        return (c.Records, summary, c.BegunWith);
    }

    [Fact]
    public void SeesWhatReadAllSees()
    {
        using var t = new TempStore();
        var added = new List<ContainerRecord>();
        for (int i = 0; i < 300; i++)
        {
            added.Add(t.Add(TempStore.NewRecord($"c{i}") with
            {
                Status = (RecordStatus)(i % 7 + 1),
                ExitCode = i - 150,
                OomKilled = i % 5 == 0,
                Pid = i,
                PidStartTime = (ulong)i * 3,
                MonitorPid = i + 1,
                CreatedAt = 1_700_000_000_000_000_000 + i,
                StartedAt = i % 2 == 0 ? 0 : 1_700_000_001_000_000_000,
                FinishedAt = i % 3 == 0 ? 0 : 1_700_000_002_000_000_000,
                Image = i % 2 == 0 ? "busybox" : "鏡像:ünï",
                Command = $"sh -c 'echo {i}'",
                Ports = i % 4 == 0 ? "0.0.0.0:80->80/tcp" : "",
            }));
        }
        // Free slots in the middle and at the end.
        t.Store.Update(tx =>
        {
            foreach (int i in new[] { 0, 7, 128, 129, 299 })
                tx.Remove(added[i]);
        });

        var snapshot = t.Store.ReadAll();
        var (records, summary, begun) = Scan(t.Store);
        Assert.Equal(snapshot.Records, records);
        Assert.Equal(new ScanSummary(snapshot.SlotCount, 0), summary);
        Assert.Equal(snapshot.SlotCount, begun);
        Assert.Equal(295, records.Count);
    }

    [Fact]
    public void MissingFileIsEmpty()
    {
        using var t = new TempStore();
        var (records, summary, begun) = Scan(t.Store);
        Assert.Empty(records);
        Assert.Equal(default, summary);
        Assert.Equal(0, begun);
    }

    [Fact]
    public void FileWithoutHeaderIsEmpty()
    {
        using var t = new TempStore();
        File.WriteAllBytes(t.Path, new byte[100]);
        Assert.Empty(Scan(t.Store).Records);
    }

    [Fact]
    public void TornRecordsAreCountedAndSkipped()
    {
        using var t = new TempStore();
        for (int i = 0; i < 10; i++)
            t.Add(TempStore.NewRecord($"c{i}"));
        t.Patch(StateStore.RecordOffset(3) + 200, 0xff);       // checksum fails
        t.Patch(StateStore.RecordOffset(8) + 4, 0xff);         // in-use byte
        var (records, summary, _) = Scan(t.Store);
        Assert.Equal(2, summary.TornRecords);
        Assert.Equal(t.Store.ReadAll().Records, records);
        Assert.DoesNotContain(records, r => r.Slot is 3 or 8);
    }

    [Fact]
    public void ImpossibleFieldsWithAValidChecksumAreTorn()
    {
        using var t = new TempStore();
        t.Add(TempStore.NewRecord("a"));
        t.Add(TempStore.NewRecord("b"));
        // A name length beyond its field, checksummed as if a writer had produced it.
        var bytes = t.Bytes();
        var slot = bytes.AsSpan((int)StateStore.RecordOffset(1), StateStore.RecordSize);
        slot[68] = 200;
        BinaryPrimitives.WriteUInt32LittleEndian(slot, RecordLayout.Crc32C(slot[4..]));
        File.WriteAllBytes(t.Path, bytes);
        var (records, summary, _) = Scan(t.Store);
        Assert.Equal(1, summary.TornRecords);
        Assert.Equal("a", Assert.Single(records).Name);
    }

    [Fact]
    public void CutFileYieldsItsCompleteSlots()
    {
        using var t = new TempStore();
        for (int i = 0; i < 200; i++)
            t.Add(TempStore.NewRecord($"c{i}"));
        using (var f = new FileStream(t.Path, FileMode.Open))
            f.SetLength(StateStore.RecordOffset(150) + 100);
        var (records, summary, _) = Scan(t.Store);
        Assert.Equal(150, records.Count);
        Assert.Equal(150, summary.SlotCount);
        Assert.Equal(t.Store.ReadAll().Records, records);
    }

    [Fact]
    public void AnotherLayoutVersionIsRefused()
    {
        using var t = new TempStore();
        t.Add(TempStore.NewRecord("a"));
        t.Patch(8, 2, 0, 0, 0);
        Assert.Throws<GockerException>(() => Scan(t.Store));
    }

    [Fact]
    public void InsideAnUpdateOfTheSameStoreItThrows()
    {
        using var t = new TempStore();
        t.Add(TempStore.NewRecord("a"));
        Assert.Throws<InvalidOperationException>(() => t.Store.Update(_ => Scan(t.Store)));
    }

    [Fact]
    public void VerifyRecordsAgreesWithTheChecksumOfEachRecord()
    {
        var random = new Random(3);
        foreach (int count in new[] { 0, 1, 2, 3, 4, 5, 127, 128 })
        {
            var records = new byte[count * StateStore.RecordSize];
            random.NextBytes(records);
            for (int i = 0; i < count; i++)
            {
                var slot = records.AsSpan(i * StateStore.RecordSize, StateStore.RecordSize);
                if (i % 3 != 1)
                    BinaryPrimitives.WriteUInt32LittleEndian(slot, RecordLayout.Crc32C(slot[4..]));
                if (i % 5 == 4)
                    slot[StateStore.RecordSize - 1] ^= 1; // the last word, outside the 8-byte loop
            }
            var valid = new bool[count];
            RecordLayout.VerifyRecords(records, valid);
            for (int i = 0; i < count; i++)
                Assert.Equal(RecordLayout.ChecksumValid(records.AsSpan(i * StateStore.RecordSize, StateStore.RecordSize)), valid[i]);
            Assert.Equal(Enumerable.Range(0, count).Select(i => i % 3 != 1 && i % 5 != 4), valid);
        }
    }
}

/// <summary>ContainerQueries.TryWriteTable against the general path (List + PsTable) on a real store.</summary>
public sealed class PsFastPathTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("gocker-ps-").FullName;
    private readonly GockerRoot _root;
    private readonly StateStore _store;

    public PsFastPathTests()
    {
        _root = new GockerRoot(_dir);
        _store = new StateStore(_root.StateDb);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static long Ns(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private ContainerRecord Add(string name, RecordStatus status, DateTimeOffset created, string image = "busybox",
        string command = "true", int exit = 0, DateTimeOffset? started = null, DateTimeOffset? finished = null) =>
        _store.Update(tx => tx.Add(new ContainerRecord
        {
            Id = ContainerId.New(),
            Name = name,
            Status = status,
            CreatedAt = Ns(created) + 123, // sub-tick nanoseconds, as a real clock gives
            StartedAt = started is { } s ? Ns(s) : 0,
            FinishedAt = finished is { } f ? Ns(f) : 0,
            ExitCode = exit,
            Image = image,
            Command = command,
        }));

    private string? Fast(ContainerQueries.ListOptions list, PsOptions options)
    {
        using var output = new MemoryStream();
        if (!new ContainerQueries(_root).TryWriteTable(list, options, output, Now))
        {
            Assert.Equal(0, output.Length);
            return null;
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private string General(ContainerQueries.ListOptions list, PsOptions options) =>
        PsTable.Render(new ContainerQueries(_root).List(list), Now, options);

    private void AssertSame(ContainerQueries.ListOptions list, PsOptions options) =>
        Assert.Equal(General(list, options), Fast(list, options));

    public static IEnumerable<object[]> Cases()
    {
        foreach (var options in new[] { new PsOptions(), new PsOptions { NoTrunc = true }, new PsOptions { Quiet = true }, new PsOptions { Quiet = true, NoTrunc = true } })
        {
            yield return [options, false, null!];
            yield return [options, true, null!];
            yield return [options, false, 2];
            yield return [options, false, 0];
            yield return [options, false, 100];
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheGeneralPath(PsOptions options, bool all, int? last)
    {
        var list = new ContainerQueries.ListOptions(all, last, PsFilter.None);
        AssertSame(list, options); // no store file yet

        Add("created", RecordStatus.Created, Now.AddMinutes(-3));
        Add("exited", RecordStatus.Exited, Now.AddHours(-2), "alpine", "sh -c 'exit 3'", 3, Now.AddHours(-2), Now.AddMinutes(-30));
        Add("same_tick_a", RecordStatus.Created, Now.AddMinutes(-1));
        Add("same_tick_b", RecordStatus.Created, Now.AddMinutes(-1));
        Add("名前", RecordStatus.Created, Now.AddDays(-3), "docker.io/library/nginx:latest", "nginx -g 'daemon off;' with a long tail");
        var running = Add("running_alive", RecordStatus.Running, Now.AddSeconds(-50), started: Now.AddSeconds(-45));
        Add("running_dead_monitor", RecordStatus.Running, Now.AddSeconds(-40), started: Now.AddSeconds(-30));
        Add("paused_dead_monitor", RecordStatus.Paused, Now.AddSeconds(-20), started: Now.AddSeconds(-10));
        var removed = Add("removed", RecordStatus.Created, Now.AddSeconds(-5));
        _store.Update(tx => tx.Remove(removed));

        using (_store.HoldMonitorLock(running))
            AssertSame(list, options);
        AssertSame(list, options); // now its monitor is gone too: Dead
    }

    [Fact]
    public void ManyContainersMatch()
    {
        var random = new Random(5);
        var records = new List<ContainerRecord>();
        for (int i = 0; i < 600; i++)
        {
            records.Add(new ContainerRecord
            {
                Id = ContainerId.New(),
                Name = $"c_{i}",
                Status = random.Next(2) == 0 ? RecordStatus.Created : RecordStatus.Exited,
                CreatedAt = Ns(Now.AddSeconds(-random.Next(0, 5000))),
                StartedAt = random.Next(2) == 0 ? 0 : Ns(Now.AddSeconds(-random.Next(0, 5000))),
                FinishedAt = random.Next(2) == 0 ? 0 : Ns(Now.AddSeconds(-random.Next(0, 5000))),
                ExitCode = random.Next(0, 3),
                Image = random.Next(2) == 0 ? "busybox" : "alpine",
                Command = random.Next(2) == 0 ? "true" : "sleep 1",
            });
        }
        _store.Update(tx => records.ForEach(r => tx.Add(r)));
        foreach (var options in new[] { new PsOptions(), new PsOptions { NoTrunc = true }, new PsOptions { Quiet = true } })
        {
            AssertSame(new ContainerQueries.ListOptions(true, null, PsFilter.None), options);
            AssertSame(new ContainerQueries.ListOptions(false, 17, PsFilter.None), options);
        }
    }

    [Fact]
    public void FiltersAndTemplatesAreLeftToTheGeneralPath()
    {
        Add("a", RecordStatus.Created, Now);
        Assert.Null(Fast(new ContainerQueries.ListOptions(true, null, PsFilter.Parse(["name=a"])), new PsOptions()));
        Assert.Null(Fast(new ContainerQueries.ListOptions(true, null, PsFilter.None), new PsOptions { Format = "{{.Names}}" }));
    }

    [Fact]
    public void ANameWithATabIsLeftToTheGeneralPath()
    {
        Add("a\tb", RecordStatus.Created, Now);
        Assert.Null(Fast(new ContainerQueries.ListOptions(true, null, PsFilter.None), new PsOptions()));
        Assert.NotNull(Fast(new ContainerQueries.ListOptions(true, null, PsFilter.None), new PsOptions { Quiet = true }));
    }
}
