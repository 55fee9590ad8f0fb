namespace Gocker.Core.State;

/// <summary>What one <see cref="StateStore.ReadAll"/> saw, all under one shared lock: the containers in
/// slot order, and how many slots failed their checksum (never returned as containers).</summary>
public sealed class StoreSnapshot
{
    public static StoreSnapshot Empty { get; } = new([], 0, 0);

    public StoreSnapshot(IReadOnlyList<ContainerRecord> records, int tornRecords, int slotCount)
    {
        Records = records;
        TornRecords = tornRecords;
        SlotCount = slotCount;
    }

    public IReadOnlyList<ContainerRecord> Records { get; }

    /// <summary>Slots whose checksum (or field sanity) failed: a crash in the middle of a write, or damage.</summary>
    public int TornRecords { get; }

    /// <summary>Slots read (used, free and torn).</summary>
    public int SlotCount { get; }
}
