using Gocker.Core.Interop;

namespace Gocker.Core.State;

/// <summary>What <see cref="StateStore.ScanRecords"/> calls back.</summary>
public interface IRecordVisitor
{
    /// <summary>Once, before any record: the number of slots that will be read (an upper bound of the
    /// containers visited).</summary>
    void Begin(int slots);

    /// <summary>Once per container, in slot order. The view is valid only during the call.</summary>
    void Visit(RecordView record);
}

/// <summary>What one <see cref="StateStore.ScanRecords"/> saw.</summary>
public readonly record struct ScanSummary(int SlotCount, int TornRecords);

public sealed partial class StateStore
{
    /// <summary>
    /// <see cref="ReadAll"/> without decoding: every container, in slot order, handed to
    /// <paramref name="visitor"/> as a <see cref="RecordView"/> over the read buffer, under the shared lock
    /// (held until the scan returns). Same semantics: a missing or headerless file is empty, a cut file
    /// yields its complete slots, slots that fail their checksum are counted and skipped, and another
    /// layout version or a corrupt header throws. Allocates nothing per record; what the visitor keeps
    /// it must copy.
    /// </summary>
    public ScanSummary ScanRecords<TVisitor>(ref TVisitor visitor) where TVisitor : struct, IRecordVisitor
    {
        ThrowIfInsideUpdate(nameof(ScanRecords));
        var db = OpenIfExists(Libc.O_RDONLY);
        if (db is null)
        {
            visitor.Begin(0);
            return default;
        }
        using (db)
        using (Containers.FileLock.Shared(LockPath))
        {
            var adapter = new RecordVisitorAdapter<TVisitor>(ref visitor);
            var (_, slots, _) = ScanSlots(db, Path, ref adapter);
            return new ScanSummary(slots, adapter.Torn);
        }
    }

    private ref struct RecordVisitorAdapter<TVisitor>(ref TVisitor visitor) : ISlotVisitor
        where TVisitor : struct, IRecordVisitor
    {
        private ref TVisitor _visitor = ref visitor;
        public int Torn;

        public void Begin(int slots) => _visitor.Begin(slots);

        public void Slot(int index, RecordLayout.SlotState state, ReadOnlySpan<byte> bytes)
        {
            if (state == RecordLayout.SlotState.Used)
                _visitor.Visit(new RecordView(in RecordLayout.AsRecord(bytes), index));
            else if (state == RecordLayout.SlotState.Torn)
                Torn++;
        }
    }
}

/// <summary>One container of a <see cref="StateStore.ScanRecords"/>, read in place: fixed fields as values,
/// strings as their UTF-8 bytes (as gocker wrote them; treat them as untrusted bytes).</summary>
public readonly ref struct RecordView
{
    private readonly ref readonly RecordLayout.Record _rec;

    internal RecordView(ref readonly RecordLayout.Record rec, int slot)
    {
        _rec = ref rec;
        Slot = slot;
    }

    public int Slot { get; }
    public ContainerStatus Status => (ContainerStatus)_rec.Status;
    public int ExitCode => _rec.ExitCode;
    public bool OomKilled => (_rec.Flags & RecordLayout.FlagOomKilled) != 0;
    public int Pid => _rec.Pid;
    public ulong PidStartTime => _rec.PidStartTime;
    public int MonitorPid => _rec.MonitorPid;
    public ulong Generation => _rec.Generation;

    /// <summary>Unix time in nanoseconds.</summary>
    public long CreatedAt => _rec.CreatedAt;
    public long StartedAt => _rec.StartedAt;
    public long FinishedAt => _rec.FinishedAt;

    /// <summary>The id's 32 raw bytes (its 64 hex characters decoded).</summary>
    public ReadOnlySpan<byte> Id => _rec.Id;
    public ReadOnlySpan<byte> Name => ((ReadOnlySpan<byte>)_rec.Name)[.._rec.NameLength];
    public ReadOnlySpan<byte> Image => ((ReadOnlySpan<byte>)_rec.Image)[.._rec.ImageLength];
    public ReadOnlySpan<byte> Command => ((ReadOnlySpan<byte>)_rec.Command)[.._rec.CommandLength];
    public ReadOnlySpan<byte> Ports => ((ReadOnlySpan<byte>)_rec.Ports)[.._rec.PortsLength];

    /// <summary>The container decoded, as <see cref="StateStore.ReadAll"/> returns it.</summary>
    public ContainerRecord ToRecord()
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(
            ref System.Runtime.CompilerServices.Unsafe.As<RecordLayout.Record, byte>(ref System.Runtime.CompilerServices.Unsafe.AsRef(in _rec)),
            RecordLayout.RecordSize);
        RecordLayout.ReadRecord(bytes, Slot, new StringCache(), true, out var record);
        return record!;
    }
}
