using System.Buffers;
using System.Runtime.InteropServices;
using Gocker.Core.Containers;
using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.State;

/// <summary>
/// Every container in one flat file of fixed-size records (<see cref="RecordLayout"/>), made for a fast
/// `ps`: one pass over one file, no per-container files to open.
/// <list type="bullet">
/// <item>Readers take flock(LOCK_SH) on "&lt;path&gt;.lock", writers flock(LOCK_EX) (one <see cref="Update{T}"/>
/// at a time, across threads and processes); a reader therefore never sees a write in progress.</item>
/// <item>A writer writes only the slots it changed (pwrite at the slot's offset), whole 512-byte records
/// that never straddle a page. No fsync: the store survives gocker processes being killed at any point
/// (what the kernel has copied stays), not power loss.</item>
/// <item>A transaction is atomic against a failing delegate (nothing is written), not against a crash
/// in the middle of its writes: then each record is either old or new, never half (torn records are
/// detected by checksum anyway).</item>
/// <item>A monitor process marks its container alive with an OFD read lock on the container's record
/// range in the store file itself (<see cref="IsMonitorAlive"/>); OFD record locks and flock do not
/// interact, so this never blocks readers or writers.</item>
/// </list>
/// </summary>
public sealed partial class StateStore : IDisposable
{
    public const int HeaderSize = RecordLayout.HeaderSize;
    public const int RecordSize = RecordLayout.RecordSize;

    /// <summary>Records read per read(2): 64 KiB, which stays in the L2 cache while it is decoded.</summary>
    private const int ChunkRecords = 128;

    private SafeFileHandle? _probe;

    /// <summary>The store whose Update delegate this thread is running: ReadAll or Update of the same
    /// file from inside it would wait forever for the lock this thread holds (flock locks of two open
    /// file descriptions conflict even within one process), so they throw instead.</summary>
    [ThreadStatic] private static string? t_updating;

    /// <param name="path">The store file, e.g. "&lt;root&gt;/containers.db"; created by the first
    /// <see cref="Update{T}"/>. Its directory must exist.</param>
    public StateStore(string path)
    {
        RecordLayout.EnsureLittleEndian();
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        LockPath = path + ".lock";
    }

    public string Path { get; }
    public string LockPath { get; }

    /// <summary>Byte offset of a slot's record in the file; the monitor's liveness lock covers
    /// [RecordOffset(slot), RecordOffset(slot) + RecordSize).</summary>
    public static long RecordOffset(int slot) => HeaderSize + (long)slot * RecordSize;

    // ---- reading ----

    /// <summary>Every container, in slot order, in one pass under a shared lock. A missing file is an
    /// empty store; a file cut short (a crash while growing) yields its complete slots; a slot that
    /// fails its checksum is counted in <see cref="StoreSnapshot.TornRecords"/> and skipped. Throws only
    /// for a file this gocker must not interpret (another layout version, a corrupt header) and I/O errors.</summary>
    public StoreSnapshot ReadAll()
    {
        ThrowIfInsideUpdate(nameof(ReadAll));
        var db = OpenIfExists(Libc.O_RDONLY);
        if (db is null)
            return StoreSnapshot.Empty;
        using (db)
        using (Containers.FileLock.Shared(LockPath))
        {
            var sink = new SnapshotSink { Records = [] };
            var (_, slots, _) = Scan(db, Path, ref sink);
            return new StoreSnapshot(sink.Records, sink.Torn, slots);
        }
    }

    internal interface ISlotSink
    {
        void Begin(int slots);
        void Slot(int index, RecordLayout.SlotState state, ContainerRecord? record, ulong generation);
    }

    private struct SnapshotSink : ISlotSink
    {
        public List<ContainerRecord> Records;
        public int Torn;

        public void Begin(int slots) => Records.Capacity = slots;

        public void Slot(int index, RecordLayout.SlotState state, ContainerRecord? record, ulong generation)
        {
            if (record is not null)
                Records.Add(record);
            else if (state == RecordLayout.SlotState.Torn)
                Torn++;
        }
    }

    /// <summary>Reads the header and every complete slot, in chunks, in file order, decoding each. Returns the
    /// slot count the header states (-1: no header yet), the slots read, and the file length.</summary>
    internal static (int StoredCount, int Slots, long Length) Scan<TSink>(SafeFileHandle db, string path, ref TSink sink)
        where TSink : struct, ISlotSink
    {
        var decode = new DecodingVisitor<TSink>(ref sink);
        return ScanSlots(db, path, ref decode);
    }

    /// <summary>What <see cref="ScanSlots"/> calls: once with the slot count, then once per slot in file
    /// order with its state (the checksum verified) and its bytes, valid only during the call.</summary>
    internal interface ISlotVisitor
    {
        void Begin(int slots);
        void Slot(int index, RecordLayout.SlotState state, ReadOnlySpan<byte> bytes);
    }

    private ref struct DecodingVisitor<TSink>(ref TSink sink) : ISlotVisitor where TSink : struct, ISlotSink
    {
        private ref TSink _sink = ref sink;
        private StringCache? _strings;

        public void Begin(int slots)
        {
            _strings = new StringCache();
            _sink.Begin(slots);
        }

        public void Slot(int index, RecordLayout.SlotState state, ReadOnlySpan<byte> bytes)
        {
            ContainerRecord? record = null;
            if (state == RecordLayout.SlotState.Used)
                RecordLayout.ReadRecord(bytes, index, _strings!, true, out record);
            _sink.Slot(index, state, record, RecordLayout.GenerationOf(bytes));
        }
    }

    /// <summary>The chunked read under <see cref="Scan"/> and <see cref="ScanRecords"/>: a 64 KiB buffer,
    /// reused (it stays in the L2 cache while the checksums are verified, and touches no fresh memory:
    /// mapping the file or reading it whole measured 2-5 times slower).</summary>
    internal static (int StoredCount, int Slots, long Length) ScanSlots<TVisitor>(SafeFileHandle db, string path, ref TVisitor visitor)
        where TVisitor : ISlotVisitor, allows ref struct
    {
        long length = RandomAccess.GetLength(db);
        if (length < HeaderSize)
        {
            // Created, but the first writer died before its header: an empty store.
            visitor.Begin(0);
            return (-1, 0, length);
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkRecords * RecordSize);
        try
        {
            if (ReadFully(db, buffer.AsSpan(0, HeaderSize), 0) < HeaderSize)
                throw new GockerException($"state file {path} is shorter than its header");
            int stored = RecordLayout.ReadHeader(buffer, path);
            int slots = (int)Math.Min(stored, (length - HeaderSize) / RecordSize);
            visitor.Begin(slots);
            Span<bool> valid = stackalloc bool[ChunkRecords];
            for (int first = 0; first < slots;)
            {
                int want = Math.Min(ChunkRecords, slots - first);
                int got = ReadFully(db, buffer.AsSpan(0, want * RecordSize), RecordOffset(first)) / RecordSize;
                RecordLayout.VerifyRecords(buffer, valid[..got]);
                for (int i = 0; i < got; i++)
                {
                    var bytes = new ReadOnlySpan<byte>(buffer, i * RecordSize, RecordSize);
                    visitor.Slot(first + i, RecordLayout.Classify(in RecordLayout.AsRecord(bytes), valid[i]), bytes);
                }
                first += got;
                if (got < want)
                {
                    slots = first;
                    break;
                }
            }
            return (stored, slots, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int ReadFully(SafeFileHandle fd, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(fd, buffer[total..], offset + total);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }

    private SafeFileHandle? OpenIfExists(int flags) => Libc.OpenIfExists(Path, flags);

    // ---- writing ----

    /// <summary>Runs <paramref name="change"/> under the exclusive lock on a fresh view of the file, then
    /// writes what it changed before the lock is released. If the delegate throws, nothing is written.
    /// Torn slots found on the way are treated as free: <see cref="StoreTransaction.Add"/> may reuse them,
    /// and the rest are rewritten as clean free slots (they hold nothing trustworthy;
    /// <see cref="StoreTransaction.TornSlots"/> lists them for whoever rebuilds containers from their
    /// config files, which must then happen in the same transaction).</summary>
    public T Update<T>(Func<StoreTransaction, T> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        ThrowIfInsideUpdate(nameof(Update));
        using var _ = FileLock.Exclusive(LockPath);
        using var db = Libc.Open(Path, Libc.O_RDWR | Libc.O_CREAT, 0b110_000_000);
        var tx = StoreTransaction.Load(db, Path);
        T result;
        var outer = t_updating;
        t_updating = Path;
        try
        {
            result = change(tx);
        }
        catch
        {
            tx.Abandon();
            throw;
        }
        finally
        {
            t_updating = outer;
        }
        tx.Commit(db);
        return result;
    }

    private void ThrowIfInsideUpdate(string what)
    {
        if (t_updating == Path)
            throw new InvalidOperationException(
                $"StateStore.{what} inside an Update delegate of the same store would deadlock; use the transaction's Records");
    }

    /// <summary><see cref="Update{T}"/> for a change that returns nothing.</summary>
    public void Update(Action<StoreTransaction> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Update<object?>(tx =>
        {
            change(tx);
            return null;
        });
    }

    // ---- lookup ----

    /// <summary>Docker's lookup (moby daemon/container.go GetContainer): an exact full id, then an exact
    /// name (with or without the leading '/'), then a unique id prefix. Matching is case-sensitive.
    /// Errors carry exit code 1, as the docker CLI exits for any daemon error outside run/create.</summary>
    public static ContainerRecord Resolve(IReadOnlyList<ContainerRecord> records, string idOrName)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (string.IsNullOrEmpty(idOrName))
            throw new GockerException("invalid container name or ID: value is empty", 1);
        var name = idOrName[0] == '/' ? idOrName[1..] : idOrName;
        ContainerRecord? byName = null, byPrefix = null;
        bool ambiguous = false;
        for (int i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (r.Id.Length == idOrName.Length && r.Id == idOrName)
                return r;
            if (byName is null && name.Length > 0 && r.Name == name)
                byName = r;
            else if (r.Id.StartsWith(idOrName, StringComparison.Ordinal))
            {
                ambiguous |= byPrefix is not null;
                byPrefix = r;
            }
        }
        if (byName is not null)
            return byName;
        if (ambiguous)
            throw new GockerException($"multiple IDs found with provided prefix: {idOrName}", 1);
        return byPrefix ?? throw NoSuchContainer(idOrName);
    }

    internal static GockerException NoSuchContainer(string idOrName) => new($"No such container: {idOrName}", 1);

    // ---- monitor liveness ----

    /// <summary>Whether another open file description holds a lock on this record's byte range of the
    /// store file: the container's monitor is alive (the kernel drops the lock when it dies, however it
    /// dies). Tested with F_OFD_GETLK for a write lock, which any read or write lock conflicts with.
    /// One fcntl per call on an fd the store keeps open (close it with <see cref="Dispose"/>).
    /// A slot is reused after its container is removed: a monitor must be gone (or have dropped its lock)
    /// before its container's record is removed.</summary>
    public bool IsMonitorAlive(ContainerRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Slot < 0)
            return false;
        var fd = Probe();
        if (fd is null)
            return false;
        var range = SlotRange(r.Slot, Libc.F_WRLCK);
        Libc.Check(Libc.FcntlLock(fd, Libc.F_OFD_GETLK, ref range), $"fcntl F_OFD_GETLK {Path}");
        return range.Type != Libc.F_UNLCK;
    }

    /// <summary>What a monitor does: an OFD read lock on the record's range, on an fd of its own, held
    /// until disposed (or the process dies). For tests and for a monitor written in C# later.</summary>
    public IDisposable HoldMonitorLock(ContainerRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Slot < 0)
            throw new ArgumentException("the record has no slot; add it to the store first", nameof(r));
        var fd = Libc.Open(Path, Libc.O_RDONLY);
        var range = SlotRange(r.Slot, Libc.F_RDLCK);
        if (Libc.FcntlLock(fd, Libc.F_OFD_SETLK, ref range) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            fd.Dispose();
            throw new SyscallException($"fcntl F_OFD_SETLK {Path} slot {r.Slot}", errno);
        }
        return new MonitorLock(fd);
    }

    /// <summary>Blocks until no monitor holds the record's liveness lock (returns at once if none does):
    /// F_OFD_SETLKW for a write lock on the range, released again immediately. While it is held (for
    /// microseconds) a monitor's non-blocking F_OFD_SETLK on the same slot would fail, so a monitor
    /// should take its lock with F_OFD_SETLKW.</summary>
    public void WaitMonitorExit(ContainerRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Slot < 0)
            return;
        var fd = OpenIfExists(Libc.O_RDWR); // a write lock needs an fd open for writing
        if (fd is null)
            return;
        using (fd)
        {
            var range = SlotRange(r.Slot, Libc.F_WRLCK);
            if (Libc.Retry(() => Libc.FcntlLock(fd, Libc.F_OFD_SETLKW, ref range)) < 0)
                Libc.Check(-1, $"fcntl F_OFD_SETLKW {Path} slot {r.Slot}");
        } // closing the fd drops the write lock
    }

    private static Libc.FlockRange SlotRange(int slot, short type) => new()
    {
        Type = type,
        Whence = Libc.SEEK_SET,
        Start = RecordOffset(slot),
        Length = RecordSize,
    };

    private SafeFileHandle? Probe()
    {
        var fd = Volatile.Read(ref _probe);
        if (fd is not null)
            return fd;
        fd = OpenIfExists(Libc.O_RDONLY);
        if (fd is null)
            return null;
        var other = Interlocked.CompareExchange(ref _probe, fd, null);
        if (other is null)
            return fd;
        fd.Dispose();
        return other;
    }

    /// <summary>Closes the fd kept for <see cref="IsMonitorAlive"/>, if any.</summary>
    public void Dispose() => Interlocked.Exchange(ref _probe, null)?.Dispose();

    private sealed class MonitorLock(SafeFileHandle fd) : IDisposable
    {
        // Closing the only fd of the open file description releases its OFD locks.
        public void Dispose() => fd.Dispose();
    }
}
