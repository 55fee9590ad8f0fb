using System.Buffers.Binary;
using System.Text;
using Gocker.Core.State;

namespace Gocker.Core.Tests.State;

public class StateStoreRoundTripTests
{
    [Fact]
    public void EveryFieldRoundTrips()
    {
        using var t = new TempStore();
        var r = new ContainerRecord
        {
            Id = TempStore.IdWithPrefix("0123456789abcdef"),
            Name = new string('n', 128),
            Status = ContainerStatus.Paused,
            Pid = int.MaxValue,
            PidStartTime = ulong.MaxValue - 1,
            MonitorPid = 4242,
            ExitCode = -137,
            OomKilled = true,
            CreatedAt = long.MinValue + 1,
            StartedAt = 1_700_000_000_123_456_789,
            FinishedAt = long.MaxValue,
            Image = "registry.example.com:5000/équipe/образ/鏡像:ünïcødé",
            Command = "\"sh -c 'echo 🐳 hello'\"",
            Ports = "0.0.0.0:8080->80/tcp, :::8080->80/tcp",
        };
        var added = t.Add(r);
        Assert.Equal(0, added.Slot);
        Assert.Equal(1UL, added.Generation);

        var snap = t.Store.ReadAll();
        Assert.Equal(0, snap.TornRecords);
        Assert.Equal(1, snap.SlotCount);
        Assert.Equal(r with { Slot = 0, Generation = 1 }, Assert.Single(snap.Records));
    }

    [Fact]
    public void DefaultsRoundTrip()
    {
        using var t = new TempStore();
        var r = new ContainerRecord { Id = TempStore.IdWithPrefix("f") };
        t.Add(r);
        Assert.Equal(r with { Slot = 0, Generation = 1 }, Assert.Single(t.Store.ReadAll().Records));
    }

    [Fact]
    public void NameOf128BytesOfMultiByteCharactersFits()
    {
        using var t = new TempStore();
        var name = string.Concat(Enumerable.Repeat("é", 64)); // 128 bytes
        t.Add(TempStore.NewRecord(name));
        Assert.Equal(name, Assert.Single(t.Store.ReadAll().Records).Name);
    }

    [Theory]
    [InlineData(129)]
    [InlineData(300)]
    public void LongerNamesAreRefusedNotCut(int length)
    {
        using var t = new TempStore();
        Assert.Throws<ArgumentException>(() => t.Add(TempStore.NewRecord(new string('x', length))));
        Assert.Empty(t.Store.ReadAll().Records);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")] // upper case
    [InlineData("g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void BadIdsAreRefused(string id)
    {
        using var t = new TempStore();
        Assert.Throws<ArgumentException>(() => t.Add(TempStore.NewRecord(id: id)));
    }

    [Fact]
    public void LongStringsAreCutAtACharacterBoundary()
    {
        using var t = new TempStore();
        var image = new string('i', 95) + "é";            // 97 bytes: é would straddle 96
        var command = new string('c', 94) + "🐳🐳";          // emoji = 4 bytes (a surrogate pair): 102 bytes
        var ports = new string('p', 62) + "€";              // 65 bytes: € is 3 bytes
        t.Add(TempStore.NewRecord() with { Image = image, Command = command, Ports = ports });
        var r = Assert.Single(t.Store.ReadAll().Records);
        Assert.Equal(new string('i', 95), r.Image);
        Assert.Equal(new string('c', 94), r.Command);
        Assert.Equal(new string('p', 62), r.Ports);

        // Exactly at the limit: kept whole.
        var fits = new string('x', 92) + "🐳";              // 96 bytes
        t.Store.Update(tx => tx.Put(tx.Records[0] with { Command = fits }));
        Assert.Equal(fits, t.Store.ReadAll().Records[0].Command);
    }

    [Fact]
    public void MissingFileIsAnEmptyStore()
    {
        using var t = new TempStore();
        var snap = t.Store.ReadAll();
        Assert.Empty(snap.Records);
        Assert.Equal(0, snap.TornRecords);
        Assert.False(File.Exists(t.Path));
        Assert.Equal(0, t.Store.Update(tx => tx.Records.Count));
        Assert.True(File.Exists(t.Path));
        Assert.Equal(StateStore.HeaderSize, new FileInfo(t.Path).Length);
    }

    [Fact]
    public void EmptyFileIsAnEmptyStoreAndWritable()
    {
        using var t = new TempStore();
        File.WriteAllBytes(t.Path, []);
        Assert.Empty(t.Store.ReadAll().Records);
        t.Add(TempStore.NewRecord("a"));
        Assert.Equal("a", Assert.Single(t.Store.ReadAll().Records).Name);
    }
}

public class StateStoreTransactionTests
{
    [Fact]
    public void AddPutRemoveAndSlotReuse()
    {
        using var t = new TempStore();
        var a = t.Add(TempStore.NewRecord("a"));
        var b = t.Add(TempStore.NewRecord("b"));
        var c = t.Add(TempStore.NewRecord("c"));
        Assert.Equal([0, 1, 2], new[] { a.Slot, b.Slot, c.Slot });

        t.Store.Update(tx => tx.Put(b with { Status = ContainerStatus.Running, Pid = 77 }));
        var b2 = t.Store.ReadAll().Records.Single(r => r.Name == "b");
        Assert.Equal((ContainerStatus.Running, 77, 1, 2UL), (b2.Status, b2.Pid, b2.Slot, b2.Generation));

        t.Store.Update(tx => tx.Remove(b2));
        Assert.Equal(["a", "c"], t.Store.ReadAll().Records.Select(r => r.Name));
        Assert.Equal(3, t.Store.ReadAll().SlotCount);

        var d = t.Add(TempStore.NewRecord("d"));
        Assert.Equal(1, d.Slot);            // the freed slot, not a new one
        Assert.Equal(4UL, d.Generation);    // add, put, remove, add
        Assert.Equal(["a", "d", "c"], t.Store.ReadAll().Records.Select(r => r.Name));
    }

    [Fact]
    public void TransactionSeesItsOwnChanges()
    {
        using var t = new TempStore();
        t.Store.Update(tx =>
        {
            var a = tx.Add(TempStore.NewRecord("ka"));
            var b = tx.Add(TempStore.NewRecord("kb"));
            Assert.Equal(2, tx.Records.Count);
            tx.Remove(a);
            Assert.Equal("kb", Assert.Single(tx.Records).Name);
            var c = tx.Add(TempStore.NewRecord("kc"));
            Assert.Equal(0, c.Slot);
            tx.Put(c with { Name = "kc2" });
            Assert.Equal(c.Id, tx.Find("kc2").Id);
            // "k" is not hex: no id prefix can match the old name by chance.
            Assert.Throws<GockerException>(() => tx.Find("kc"));
        });
        Assert.Equal(["kc2", "kb"], t.Store.ReadAll().Records.Select(r => r.Name));
        Assert.All(t.Store.ReadAll().Records, r => Assert.Equal(1UL, r.Generation));
    }

    [Fact]
    public void RemovingTrailingSlotsShrinksTheFile()
    {
        using var t = new TempStore();
        var rs = Enumerable.Range(0, 5).Select(i => t.Add(TempStore.NewRecord($"n{i}"))).ToList();
        t.Store.Update(tx => { tx.Remove(rs[4]); tx.Remove(rs[3]); tx.Remove(rs[1]); });
        Assert.Equal(3, t.Store.ReadAll().SlotCount);
        Assert.Equal(StateStore.RecordOffset(3), new FileInfo(t.Path).Length);
        t.Store.Update(tx => { tx.Remove(rs[0]); tx.Remove(rs[2]); });
        Assert.Equal(0, t.Store.ReadAll().SlotCount);
        Assert.Equal(StateStore.HeaderSize, new FileInfo(t.Path).Length);
        Assert.Equal(0, t.Add(TempStore.NewRecord("again")).Slot);
    }

    [Fact]
    public void NameConflictIsDockersMessage()
    {
        using var t = new TempStore();
        var a = t.Add(TempStore.NewRecord("web"));
        var e = Assert.Throws<GockerException>(() => t.Add(TempStore.NewRecord("web")));
        Assert.Equal($"Conflict. The container name \"/web\" is already in use by container \"{a.Id}\". " +
            "You have to remove (or rename) that container to be able to reuse that name.", e.Message);
        Assert.Equal(125, e.ExitCode);
        Assert.Single(t.Store.ReadAll().Records);

        // Renaming onto a used name conflicts too; keeping one's own name does not.
        var b = t.Add(TempStore.NewRecord("db"));
        Assert.Throws<GockerException>(() => t.Store.Update(tx => tx.Put(b with { Name = "web" })));
        t.Store.Update(tx => tx.Put(b with { Status = ContainerStatus.Running }));
        // Unnamed containers never conflict.
        t.Add(TempStore.NewRecord(""));
        t.Add(TempStore.NewRecord(""));
        Assert.Equal(4, t.Store.ReadAll().Records.Count);
    }

    [Fact]
    public void NameIsFreeAgainAfterRemove()
    {
        using var t = new TempStore();
        var a = t.Add(TempStore.NewRecord("web"));
        t.Store.Update(tx => { tx.Remove(a); tx.Add(TempStore.NewRecord("web")); });
        Assert.NotEqual(a.Id, Assert.Single(t.Store.ReadAll().Records).Id);
    }

    [Fact]
    public void DuplicateIdIsRefused()
    {
        using var t = new TempStore();
        var a = t.Add(TempStore.NewRecord("a"));
        Assert.Throws<GockerException>(() => t.Add(TempStore.NewRecord("b", a.Id)));
    }

    [Fact]
    public void PutAndRemoveOfAVanishedContainerAreNoSuchContainer()
    {
        using var t = new TempStore();
        var a = t.Add(TempStore.NewRecord("a"));
        t.Store.Update(tx => tx.Remove(a));
        var b = t.Add(TempStore.NewRecord("b")); // takes a's slot
        Assert.Equal(a.Slot, b.Slot);
        var e = Assert.Throws<GockerException>(() => t.Store.Update(tx => tx.Put(a with { ExitCode = 1 })));
        Assert.Equal($"No such container: {a.Id}", e.Message);
        Assert.Equal(1, e.ExitCode);
        Assert.Throws<GockerException>(() => t.Store.Update(tx => tx.Remove(a)));
        Assert.Equal("b", Assert.Single(t.Store.ReadAll().Records).Name);
    }

    [Fact]
    public void AFailingDelegateWritesNothing()
    {
        using var t = new TempStore();
        t.Add(TempStore.NewRecord("a"));
        var before = t.Bytes();
        Assert.Throws<InvalidOperationException>(() => t.Store.Update<int>(tx =>
        {
            tx.Add(TempStore.NewRecord("b"));
            tx.Put(tx.Records[0] with { Status = ContainerStatus.Dead });
            throw new InvalidOperationException("no");
        }));
        Assert.Equal(before, t.Bytes());
    }

    [Fact]
    public void ATransactionIsDeadAfterItsDelegate()
    {
        using var t = new TempStore();
        StoreTransaction? leaked = null;
        t.Store.Update(tx => { leaked = tx; });
        Assert.Throws<InvalidOperationException>(() => leaked!.Add(TempStore.NewRecord("late")));
        Assert.Throws<InvalidOperationException>(() => leaked!.Records);
    }

    [Fact]
    public void NestedUseOfTheSameStoreThrowsInsteadOfDeadlocking()
    {
        using var t = new TempStore();
        Assert.Throws<InvalidOperationException>(() => t.Store.Update(_ => t.Store.ReadAll()));
        Assert.Throws<InvalidOperationException>(() => t.Store.Update(_ => t.Store.Update(_ => 0)));
        using var other = new TempStore();
        Assert.Equal(0, t.Store.Update(_ => other.Store.ReadAll().Records.Count)); // another store is fine
        Assert.Empty(t.Store.ReadAll().Records);                                   // and the flag is reset
    }

    [Fact]
    public void GenerationOnInputIsIgnored()
    {
        using var t = new TempStore();
        var a = t.Add(TempStore.NewRecord("a") with { Generation = 99, Slot = 17 });
        Assert.Equal((0, 1UL), (a.Slot, a.Generation));
        t.Store.Update(tx => tx.Put(a with { Generation = 1000 }));
        Assert.Equal(2UL, t.Store.ReadAll().Records[0].Generation);
    }
}

public class StateStoreLookupTests
{
    private static readonly ContainerRecord A = TempStore.NewRecord("alpha", TempStore.IdWithPrefix("abc1"));
    private static readonly ContainerRecord B = TempStore.NewRecord("beta", TempStore.IdWithPrefix("abc2"));
    private static readonly ContainerRecord C = TempStore.NewRecord("abc", TempStore.IdWithPrefix("def"));
    private static readonly IReadOnlyList<ContainerRecord> All = [A, B, C];

    [Fact]
    public void FullId() => Assert.Same(A, StateStore.Resolve(All, A.Id));

    [Fact]
    public void Name() => Assert.Same(B, StateStore.Resolve(All, "beta"));

    [Fact]
    public void NameWithDockersLeadingSlash() => Assert.Same(B, StateStore.Resolve(All, "/beta"));

    [Fact]
    public void UniquePrefix()
    {
        Assert.Same(A, StateStore.Resolve(All, "abc1"));
        Assert.Same(C, StateStore.Resolve(All, "de"));
    }

    [Fact]
    public void NameWinsOverAnIdPrefix() => Assert.Same(C, StateStore.Resolve(All, "abc"));

    [Fact]
    public void FullIdWinsOverAName()
    {
        var impostor = TempStore.NewRecord(A.Id, TempStore.IdWithPrefix("9"));
        Assert.Same(A, StateStore.Resolve([impostor, A], A.Id));
    }

    [Fact]
    public void AmbiguousPrefix()
    {
        var e = Assert.Throws<GockerException>(() => StateStore.Resolve(All, "ab"));
        Assert.Equal("multiple IDs found with provided prefix: ab", e.Message);
        Assert.Equal(1, e.ExitCode);
    }

    [Theory]
    [InlineData("nosuch")]
    [InlineData("ABC1")]  // case-sensitive, as Docker
    [InlineData("alph")]  // names match exactly, never by prefix
    public void NotFound(string what)
    {
        var e = Assert.Throws<GockerException>(() => StateStore.Resolve(All, what));
        Assert.Equal($"No such container: {what}", e.Message);
        Assert.Equal(1, e.ExitCode);
    }

    [Fact]
    public void Empty() => Assert.Equal(1, Assert.Throws<GockerException>(() => StateStore.Resolve(All, "")).ExitCode);

    [Fact]
    public void FindInATransaction()
    {
        using var t = new TempStore();
        var a = t.Add(A);
        t.Add(B);
        Assert.Equal(a, t.Store.Update(tx => tx.Find("alpha")));
        Assert.Equal(a, t.Store.Update(tx => tx.Find("abc1")));
        Assert.Throws<GockerException>(() => t.Store.Update(tx => tx.Find("abc")));
    }
}

public class StateStoreDamageTests
{
    [Fact]
    public void ATornRecordIsCountedSkippedAndFreedByTheNextWriter()
    {
        using var t = new TempStore();
        var rs = Enumerable.Range(0, 3).Select(i => t.Add(TempStore.NewRecord($"n{i}"))).ToList();
        t.Patch(StateStore.RecordOffset(1) + 300, 0x5a); // inside the image field

        var snap = t.Store.ReadAll();
        Assert.Equal(1, snap.TornRecords);
        Assert.Equal(["n0", "n2"], snap.Records.Select(r => r.Name));

        // The writer sees it, treats it as free, reuses it.
        var reused = t.Store.Update(tx =>
        {
            Assert.Equal([1], tx.TornSlots);
            Assert.Equal(2, tx.Records.Count);
            return tx.Add(TempStore.NewRecord("new"));
        });
        Assert.Equal(1, reused.Slot);
        snap = t.Store.ReadAll();
        Assert.Equal(0, snap.TornRecords);
        Assert.Equal(["n0", "new", "n2"], snap.Records.Select(r => r.Name));
    }

    [Fact]
    public void ATornRecordNotReusedIsRewrittenFree()
    {
        using var t = new TempStore();
        for (int i = 0; i < 3; i++)
            t.Add(TempStore.NewRecord($"n{i}"));
        t.Patch(StateStore.RecordOffset(1) + 4, 7); // the in-use byte: checksum fails
        t.Store.Update(tx => tx.Put(tx.Records[0] with { ExitCode = 3 }));
        var snap = t.Store.ReadAll();
        Assert.Equal((0, 3), (snap.TornRecords, snap.SlotCount));
        Assert.Equal(["n0", "n2"], snap.Records.Select(r => r.Name));
    }

    [Theory]
    [InlineData(0)]     // the checksum itself
    [InlineData(5)]     // status
    [InlineData(20)]    // id
    [InlineData(130)]   // name
    [InlineData(511)]   // the last byte of padding
    public void AnyDamagedByteIsDetected(int offset)
    {
        using var t = new TempStore();
        t.Add(TempStore.NewRecord("a"));
        var b = t.Bytes()[StateStore.RecordOffset(0) + offset];
        t.Patch(StateStore.RecordOffset(0) + offset, (byte)(b ^ 0x01));
        var snap = t.Store.ReadAll();
        Assert.Empty(snap.Records);
        Assert.Equal(1, snap.TornRecords);
    }

    [Fact]
    public void AllSlotsTornStillReads()
    {
        using var t = new TempStore();
        for (int i = 0; i < 4; i++)
            t.Add(TempStore.NewRecord($"n{i}"));
        for (int i = 0; i < 4; i++)
            t.Patch(StateStore.RecordOffset(i) + 100, 0xff, 0xff, 0xff);
        var snap = t.Store.ReadAll();
        Assert.Equal((0, 4), (snap.Records.Count, snap.TornRecords));
        // Trailing torn slots are freed, and freed trailing slots are cut off.
        t.Store.Update(_ => { });
        Assert.Equal(StateStore.HeaderSize, new FileInfo(t.Path).Length);
    }

    [Fact]
    public void AFileCutInTheMiddleOfARecordReadsItsCompleteSlots()
    {
        using var t = new TempStore();
        for (int i = 0; i < 3; i++)
            t.Add(TempStore.NewRecord($"n{i}"));
        using (var f = new FileStream(t.Path, FileMode.Open))
            f.SetLength(StateStore.RecordOffset(2) + StateStore.RecordSize / 2);

        var snap = t.Store.ReadAll();
        Assert.Equal((0, 2), (snap.TornRecords, snap.SlotCount));
        Assert.Equal(["n0", "n1"], snap.Records.Select(r => r.Name));

        // The next writer appends over the half slot and the header agrees with the file again.
        Assert.Equal(2, t.Add(TempStore.NewRecord("n3")).Slot);
        Assert.Equal(StateStore.RecordOffset(3), new FileInfo(t.Path).Length);
        Assert.Equal(["n0", "n1", "n3"], t.Store.ReadAll().Records.Select(r => r.Name));
    }

    [Fact]
    public void SlotsBeyondTheHeaderCountAreNotData()
    {
        // A writer killed after cutting the header's count but before truncating (or appending):
        // what lies beyond the count must neither show nor come back.
        using var t = new TempStore();
        for (int i = 0; i < 3; i++)
            t.Add(TempStore.NewRecord($"n{i}"));
        var header = new byte[StateStore.HeaderSize];
        RecordLayout.WriteHeader(header, 1);
        t.Patch(0, header);

        Assert.Equal(["n0"], t.Store.ReadAll().Records.Select(r => r.Name));
        Assert.Equal(1, t.Add(TempStore.NewRecord("n3")).Slot);
        Assert.Equal(["n0", "n3"], t.Store.ReadAll().Records.Select(r => r.Name));
        Assert.Equal(StateStore.RecordOffset(2), new FileInfo(t.Path).Length);
    }

    [Fact]
    public void UnknownLayoutVersionIsRefusedClearly()
    {
        using var t = new TempStore();
        t.Add(TempStore.NewRecord("a"));
        var v2 = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v2, 2);
        t.Patch(8, v2);
        var before = t.Bytes();
        var e = Assert.Throws<GockerException>(() => t.Store.ReadAll());
        Assert.Equal($"state file {t.Path} has layout version 2; this gocker reads 1", e.Message);
        Assert.Throws<GockerException>(() => t.Store.Update(tx => tx.Add(TempStore.NewRecord("b"))));
        Assert.Equal(before, t.Bytes()); // a writer never touches a file it cannot read
    }

    [Fact]
    public void CorruptHeaderIsRefused()
    {
        using var t = new TempStore();
        t.Add(TempStore.NewRecord("a"));
        t.Patch(20, 9); // the slot count, without fixing the checksum
        Assert.Contains("corrupt header", Assert.Throws<GockerException>(() => t.Store.ReadAll()).Message);
    }

    [Fact]
    public void ForeignFileIsRefused()
    {
        using var t = new TempStore();
        File.WriteAllBytes(t.Path, Encoding.ASCII.GetBytes(new string('x', 2000)));
        Assert.Contains("not a gocker state file", Assert.Throws<GockerException>(() => t.Store.ReadAll()).Message);
    }
}

public class RecordLayoutTests
{
    [Fact]
    public void Crc32CCheckValue() => Assert.Equal(0xE3069283u, RecordLayout.Crc32C("123456789"u8));

    [Fact]
    public void Sizes()
    {
        Assert.Equal(512, StateStore.RecordSize);
        Assert.Equal(512, StateStore.HeaderSize);
        Assert.Equal(512, System.Runtime.CompilerServices.Unsafe.SizeOf<RecordLayout.Record>());
        Assert.Equal(512, System.Runtime.CompilerServices.Unsafe.SizeOf<RecordLayout.Header>());
        Assert.Equal(512 + 3L * 512, StateStore.RecordOffset(3));
        Assert.Equal(0, 4096 % StateStore.RecordSize); // no record straddles a page
    }

    /// <summary>Pins the documented byte offsets: the file is read by other programs too (the monitor).</summary>
    [Fact]
    public void RecordBytesAreAtTheDocumentedOffsets()
    {
        var r = new ContainerRecord
        {
            Id = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
            Name = "nm",
            Status = ContainerStatus.Exited,
            Pid = 0x01020304,
            MonitorPid = 0x05060708,
            PidStartTime = 0x1112131415161718,
            ExitCode = -2,
            OomKilled = true,
            CreatedAt = 0x2122232425262728,
            StartedAt = 0x3132333435363738,
            FinishedAt = 0x4142434445464748,
            Image = "img",
            Command = "cmd!",
            Ports = "p",
        };
        var b = new byte[512];
        RecordLayout.WriteRecord(b, r, generation: 0x0a0b0c0d0e0f1011);
        var s = b.AsSpan();
        Assert.Equal(RecordLayout.Crc32C(s[4..]), BinaryPrimitives.ReadUInt32LittleEndian(s));
        Assert.Equal((byte)1, b[4]);
        Assert.Equal((byte)ContainerStatus.Exited, b[5]);
        Assert.Equal((byte)1, b[6]);
        Assert.Equal(0x0a0b0c0d0e0f1011UL, BinaryPrimitives.ReadUInt64LittleEndian(s[8..]));
        Assert.Equal(Convert.FromHexString(r.Id), s.Slice(16, 32).ToArray());
        Assert.Equal(0x01020304, BinaryPrimitives.ReadInt32LittleEndian(s[48..]));
        Assert.Equal(0x05060708, BinaryPrimitives.ReadInt32LittleEndian(s[52..]));
        Assert.Equal(0x1112131415161718UL, BinaryPrimitives.ReadUInt64LittleEndian(s[56..]));
        Assert.Equal(-2, BinaryPrimitives.ReadInt32LittleEndian(s[64..]));
        Assert.Equal(new byte[] { 2, 3, 4, 1 }, s.Slice(68, 4).ToArray());
        Assert.Equal(0x2122232425262728, BinaryPrimitives.ReadInt64LittleEndian(s[72..]));
        Assert.Equal(0x3132333435363738, BinaryPrimitives.ReadInt64LittleEndian(s[80..]));
        Assert.Equal(0x4142434445464748, BinaryPrimitives.ReadInt64LittleEndian(s[88..]));
        Assert.Equal("nm"u8.ToArray(), s.Slice(128, 2).ToArray());
        Assert.Equal("img"u8.ToArray(), s.Slice(256, 3).ToArray());
        Assert.Equal("cmd!"u8.ToArray(), s.Slice(352, 4).ToArray());
        Assert.Equal("p"u8.ToArray(), s.Slice(448, 1).ToArray());
        // Everything else is zero: 7, 96..127, and the string padding.
        Assert.Equal(0, b[7]);
        Assert.All(b[96..128], x => Assert.Equal(0, x));
        Assert.All(b[130..256], x => Assert.Equal(0, x));
        Assert.All(b[449..512], x => Assert.Equal(0, x));
    }

    [Fact]
    public void HeaderBytesAreAtTheDocumentedOffsets()
    {
        var b = new byte[512];
        RecordLayout.WriteHeader(b, 7);
        var s = b.AsSpan();
        Assert.Equal("GOCKERDB"u8.ToArray(), s[..8].ToArray());
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(s[8..]));
        Assert.Equal(512u, BinaryPrimitives.ReadUInt32LittleEndian(s[12..]));
        Assert.Equal(512u, BinaryPrimitives.ReadUInt32LittleEndian(s[16..]));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(s[20..]));
        Assert.Equal(RecordLayout.Crc32C(s[..60]), BinaryPrimitives.ReadUInt32LittleEndian(s[60..]));
        Assert.Equal(7, RecordLayout.ReadHeader(b, "x"));
    }

    [Fact]
    public void BatchedChecksumsAgreeWithOneAtATime()
    {
        var rnd = new Random(7);
        for (int count = 0; count <= 8; count++)
        {
            var buf = new byte[count * 512];
            for (int i = 0; i < count; i++)
            {
                var slot = buf.AsSpan(i * 512, 512);
                RecordLayout.WriteRecord(slot, TempStore.NewRecord($"n{i}"), (ulong)i);
                if (rnd.Next(2) == 0)
                    slot[rnd.Next(512)] ^= (byte)(1 << rnd.Next(8));
            }
            var batched = new bool[count];
            RecordLayout.VerifyRecords(buf, batched);
            var single = Enumerable.Range(0, count).Select(i => RecordLayout.ChecksumValid(buf.AsSpan(i * 512, 512))).ToArray();
            Assert.Equal(single, batched);
        }
    }

    [Fact]
    public void HexOfTheIdMatchesConvert()
    {
        var b = new byte[512];
        var id = Convert.ToHexStringLower(Enumerable.Range(0, 32).Select(i => (byte)(i * 37 + 11)).ToArray());
        RecordLayout.WriteRecord(b, TempStore.NewRecord(id: id), 1);
        Assert.Equal(id, RecordLayout.HexLower(RecordLayout.AsRecord(b.AsSpan()).Id));
    }

    [Fact]
    public void FreeSlotIsChecksummedZerosButTheGeneration()
    {
        var b = new byte[512];
        RecordLayout.WriteFree(b, 5);
        Assert.Equal(RecordLayout.SlotState.Free, RecordLayout.ReadRecord(b, 0, new StringCache(), out var r));
        Assert.Null(r);
        Assert.Equal(5UL, RecordLayout.GenerationOf(b));
        Assert.All(b[16..], x => Assert.Equal(0, x));
    }
}
