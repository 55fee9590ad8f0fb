using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.State;

/// <summary>
/// The view an <see cref="StateStore.Update{T}"/> delegate works on, under the exclusive lock: every
/// change is visible to the delegate at once (<see cref="Records"/>, <see cref="Find"/>) and reaches the
/// file when the delegate returns. Usable only inside its delegate.
/// </summary>
public sealed class StoreTransaction
{
    private readonly string _path;
    private readonly List<ContainerRecord?> _slots;    // the current view; null = free (or torn) slot
    private readonly List<bool> _dirty;
    private readonly ulong[] _diskGenerations;         // per slot read from the file
    private readonly int _diskSlots;                   // slots read from the file
    private readonly int _storedCount;                 // the header's slot count, -1: no header
    private readonly long _fileLength;
    private readonly int[] _torn;
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private IReadOnlyList<ContainerRecord>? _records;
    private int _freeHint;
    private bool _closed;

    private StoreTransaction(string path, LoadSink loaded, int storedCount, int slots, long fileLength)
    {
        _path = path;
        _slots = loaded.Slots;
        _diskGenerations = loaded.Generations;
        _diskSlots = slots;
        _storedCount = storedCount;
        _fileLength = fileLength;
        _torn = [.. loaded.Torn];
        _dirty = new List<bool>(new bool[slots]);
        foreach (int t in _torn)
            _dirty[t] = true; // rewritten as free slots unless Add reuses them
        for (int i = 0; i < slots; i++)
        {
            if (_slots[i] is not { } r)
                continue;
            _byId.TryAdd(r.Id, i);
            if (r.Name.Length > 0)
                _byName.TryAdd(r.Name, i);
        }
    }

    internal static StoreTransaction Load(SafeFileHandle db, string path)
    {
        var sink = new LoadSink();
        var (stored, slots, length) = StateStore.Scan(db, path, ref sink);
        return new StoreTransaction(path, sink, stored, slots, length);
    }

    private struct LoadSink : StateStore.ISlotSink
    {
        public List<ContainerRecord?> Slots;
        public ulong[] Generations;
        public List<int> Torn;

        public void Begin(int slots)
        {
            Slots = new List<ContainerRecord?>(slots);
            Generations = new ulong[slots];
            Torn = [];
        }

        public void Slot(int index, RecordLayout.SlotState state, ContainerRecord? record, ulong generation)
        {
            Slots.Add(record);
            Generations[index] = generation;
            if (state == RecordLayout.SlotState.Torn)
                Torn.Add(index);
        }
    }

    /// <summary>The containers, in slot order, with this transaction's changes.</summary>
    public IReadOnlyList<ContainerRecord> Records
    {
        get
        {
            EnsureOpen();
            if (_records is null)
            {
                var records = new List<ContainerRecord>(_slots.Count);
                foreach (var r in _slots) // not Where().Select(): see UserMounts.Ordered
                    if (r is not null)
                        records.Add(r);
                _records = records.ToArray();
            }
            return _records;
        }
    }

    /// <summary>Slots that failed their checksum when this transaction read the file. They count as free:
    /// <see cref="Add"/> may reuse them, and the commit rewrites the others as clean free slots.</summary>
    public IReadOnlyList<int> TornSlots => _torn;

    /// <summary>Stores a new container in a free slot (the lowest; else a new one at the end) and returns
    /// it with <see cref="ContainerRecord.Slot"/> set. A name (when not empty) and the id must be unused.</summary>
    public ContainerRecord Add(ContainerRecord r)
    {
        EnsureOpen();
        Validate(r);
        if (_byId.ContainsKey(r.Id))
            throw new GockerException($"a container with id {r.Id} already exists");
        if (r.Name.Length > 0 && _byName.TryGetValue(r.Name, out int holder))
            throw NameConflict(r.Name, _slots[holder]!.Id);
        int slot = TakeFreeSlot();
        var stored = r with { Slot = slot, Generation = NextGeneration(slot) };
        Set(slot, stored);
        return stored;
    }

    /// <summary>Overwrites the container in <c>r.Slot</c>, which must still hold the same id ("No such
    /// container" otherwise: it was removed meanwhile). A changed name must be unused.</summary>
    public void Put(ContainerRecord r)
    {
        EnsureOpen();
        Validate(r);
        var current = Current(r);
        if (r.Name != current.Name && r.Name.Length > 0 && _byName.TryGetValue(r.Name, out int holder) && holder != r.Slot)
            throw NameConflict(r.Name, _slots[holder]!.Id);
        Set(r.Slot, r with { Generation = NextGeneration(r.Slot) });
    }

    /// <summary>Frees the container's slot (which must still hold the same id).</summary>
    public void Remove(ContainerRecord r)
    {
        EnsureOpen();
        ArgumentNullException.ThrowIfNull(r);
        Current(r);
        Set(r.Slot, null);
        _freeHint = Math.Min(_freeHint, r.Slot);
    }

    /// <summary><see cref="StateStore.Resolve"/> on this transaction's view.</summary>
    public ContainerRecord Find(string idOrName)
    {
        EnsureOpen();
        return StateStore.Resolve(Records, idOrName);
    }

    private ContainerRecord Current(ContainerRecord r)
    {
        if (r.Slot >= 0 && r.Slot < _slots.Count && _slots[r.Slot] is { } current && current.Id == r.Id)
            return current;
        throw StateStore.NoSuchContainer(r.Id);
    }

    private void Set(int slot, ContainerRecord? value)
    {
        var old = _slots[slot];
        if (old is not null)
        {
            _byId.Remove(old.Id);
            if (old.Name.Length > 0)
                _byName.Remove(old.Name);
        }
        if (value is not null)
        {
            _byId[value.Id] = slot;
            if (value.Name.Length > 0)
                _byName[value.Name] = slot;
        }
        _slots[slot] = value;
        _dirty[slot] = true;
        _records = null;
    }

    private int TakeFreeSlot()
    {
        for (int i = _freeHint; i < _slots.Count; i++)
        {
            if (_slots[i] is null)
            {
                _freeHint = i + 1;
                return i;
            }
        }
        _slots.Add(null);
        _dirty.Add(false);
        _freeHint = _slots.Count;
        return _slots.Count - 1;
    }

    /// <summary>The generation the slot will have on disk after this transaction: one more than now.</summary>
    private ulong NextGeneration(int slot) => slot < _diskSlots ? _diskGenerations[slot] + 1 : 1;

    private static void Validate(ContainerRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (!IsId(r.Id))
            throw new ArgumentException($"a container id is 64 lowercase hex characters, not \"{r.Id}\"", nameof(r));
        if (RecordLayout.Utf8Length(r.Name) > RecordLayout.NameMax)
            throw new ArgumentException($"container name longer than {RecordLayout.NameMax} bytes: {r.Name}", nameof(r));
    }

    private static bool IsId(string id)
    {
        if (id is not { Length: 64 })
            return false;
        foreach (char c in id)
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
                return false;
        return true;
    }

    private static GockerException NameConflict(string name, string holderId) => new(
        $"Conflict. The container name \"/{name}\" is already in use by container \"{holderId}\". " +
        "You have to remove (or rename) that container to be able to reuse that name.");

    private void EnsureOpen()
    {
        if (_closed)
            throw new InvalidOperationException("a StoreTransaction is usable only inside its Update delegate");
    }

    internal void Abandon() => _closed = true;

    /// <summary>
    /// Writes the changes; the caller holds the exclusive lock. Order, so that a writer killed at any
    /// point leaves a file every reader interprets correctly (a reader takes min(header count, complete
    /// slots in the file)):
    /// 1. cut the file to the slots that stay and that it validly holds (drops freed trailing slots, a
    ///    half slot, or stale slots past the header's count that a killed writer left behind): nothing
    ///    stale can reappear when the count grows again;
    /// 2. the header, if the count changed (trailing free slots are not kept);
    /// 3. the changed slots, in ascending order, consecutive ones in one pwrite.
    /// </summary>
    internal void Commit(SafeFileHandle db)
    {
        _closed = true;
        int count = _slots.Count;
        while (count > 0 && _slots[count - 1] is null)
            count--;

        long keep = StateStore.RecordOffset(Math.Min(count, _diskSlots));
        if (_fileLength > keep)
            RandomAccess.SetLength(db, keep);

        const int maxRun = 256; // records per pwrite (128 KiB)
        byte[] buffer = ArrayPool<byte>.Shared.Rent(maxRun * StateStore.RecordSize);
        try
        {
            if (_storedCount != count)
            {
                RecordLayout.WriteHeader(buffer, count);
                RandomAccess.Write(db, buffer.AsSpan(0, StateStore.HeaderSize), 0);
            }
            for (int slot = 0; slot < count;)
            {
                if (!_dirty[slot])
                {
                    slot++;
                    continue;
                }
                int first = slot, n = 0;
                for (; slot < count && _dirty[slot] && n < maxRun; slot++, n++)
                {
                    var dest = buffer.AsSpan(n * StateStore.RecordSize, StateStore.RecordSize);
                    if (_slots[slot] is { } r)
                        RecordLayout.WriteRecord(dest, r, NextGeneration(slot));
                    else
                        RecordLayout.WriteFree(dest, NextGeneration(slot));
                }
                RandomAccess.Write(db, buffer.AsSpan(0, n * StateStore.RecordSize), StateStore.RecordOffset(first));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
