namespace Gocker.Core.Cgroups;

/// <summary>v2 memory controller: memory.max, memory.swap.max (swap alone: MemorySwap - Memory; -1 → max),
/// memory.low (--memory-reservation), memory.events oom_kill.</summary>
internal static class V2Memory
{
    public const string Name = "memory";

    public static bool Needed(ResourceLimits l) =>
        l.Memory is not null || l.MemorySwap is not null || l.MemoryReservation is not null;

    public static void Apply(ICgroupFs fs, string dir, ResourceLimits l)
    {
        // Docker's --memory-swap is memory + swap; memory.swap.max is the swap alone. Swap before memory:
        // memory.swap.max does not depend on memory.max, and a failing memory.max then leaves no half update.
        if (fs.Exists(Path.Combine(dir, "memory.swap.max")))
        {
            if (l.MemorySwap == -1) CgroupFiles.Write(fs, dir, "memory.swap.max", "max");
            else if (l.MemorySwap is { } s && l.Memory is { } m) CgroupFiles.Write(fs, dir, "memory.swap.max", s - m);
            else if (l.MemorySwap is { } s2 && CgroupFiles.ReadLong(fs, dir, "memory.max") is { } cur)
                CgroupFiles.Write(fs, dir, "memory.swap.max", Math.Max(0, s2 - cur));   // update of the swap alone
        }
        if (l.Memory is { } mem) CgroupFiles.Write(fs, dir, "memory.max", mem);
        if (l.MemoryReservation is { } r) CgroupFiles.Write(fs, dir, "memory.low", r);
    }

    public static bool OomKilled(ICgroupFs fs, string dir) =>
        CgroupFiles.ReadKey(fs, dir, "memory.events", "oom_kill") is > 0;

    public static (long Usage, long? Limit, long InactiveFile) Stats(ICgroupFs fs, string dir) =>
        (CgroupFiles.ReadLong(fs, dir, "memory.current") ?? 0,
         CgroupFiles.ReadLong(fs, dir, "memory.max"),
         CgroupFiles.ReadKey(fs, dir, "memory.stat", "inactive_file") ?? 0);
}
