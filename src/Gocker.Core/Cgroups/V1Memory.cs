namespace Gocker.Core.Cgroups;

/// <summary>v1 memory controller: memory.limit_in_bytes, memory.memsw.limit_in_bytes (only with swap
/// accounting), memory.soft_limit_in_bytes, memory.oom_control.</summary>
internal static class V1Memory
{
    public const string Name = "memory";
    /// <summary>What memory.limit_in_bytes reads when unlimited (PAGE_COUNTER_MAX pages) is at least this.</summary>
    public const long UnlimitedThreshold = 1L << 62;

    public static bool Needed(ResourceLimits l) =>
        l.Memory is not null || l.MemorySwap is not null || l.MemoryReservation is not null || l.OomKillDisable;

    public static void Apply(ICgroupFs fs, string dir, ResourceLimits l)
    {
        bool hasSwap = fs.Exists(Path.Combine(dir, "memory.memsw.limit_in_bytes"));
        long? swap = hasSwap ? l.MemorySwap : null;
        // memsw must stay >= the memory limit at every step: raise swap first, lower it last.
        long currentSwap = CgroupFiles.ReadLong(fs, dir, "memory.memsw.limit_in_bytes") ?? long.MaxValue;
        bool swapFirst = swap is { } s && (s == -1 || (l.Memory is { } m && m > currentSwap));
        if (swapFirst) CgroupFiles.Write(fs, dir, "memory.memsw.limit_in_bytes", swap!.Value);
        if (l.Memory is { } mem) CgroupFiles.Write(fs, dir, "memory.limit_in_bytes", mem);
        if (!swapFirst && swap is { } s2) CgroupFiles.Write(fs, dir, "memory.memsw.limit_in_bytes", s2);
        if (l.MemoryReservation is { } r) CgroupFiles.Write(fs, dir, "memory.soft_limit_in_bytes", r);
        if (l.OomKillDisable) CgroupFiles.Write(fs, dir, "memory.oom_control", "1");
    }

    /// <summary>oom_kill in memory.oom_control (kernel 4.13+); failcnt only counts hitting the limit.</summary>
    public static bool OomKilled(ICgroupFs fs, string dir) =>
        CgroupFiles.ReadKey(fs, dir, "memory.oom_control", "oom_kill") is > 0;

    public static (long Usage, long? Limit, long InactiveFile) Stats(ICgroupFs fs, string dir)
    {
        long usage = CgroupFiles.ReadLong(fs, dir, "memory.usage_in_bytes") ?? 0;
        long? limit = CgroupFiles.ReadLong(fs, dir, "memory.limit_in_bytes");
        if (limit >= UnlimitedThreshold) limit = null;
        long inactive = CgroupFiles.ReadKey(fs, dir, "memory.stat", "total_inactive_file") ?? 0;
        return (usage, limit, inactive);
    }
}
