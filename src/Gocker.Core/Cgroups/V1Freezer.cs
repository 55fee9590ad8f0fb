namespace Gocker.Core.Cgroups;

/// <summary>v1 freezer: freezer.state FROZEN/THAWED. Freezing goes through FREEZING; the write is repeated
/// while waiting (as runc does) in case a task was forking.</summary>
internal static class V1Freezer
{
    public const string Name = "freezer";

    public static void Set(ICgroupFs fs, string dir, bool frozen, TimeSpan timeout, Action<TimeSpan> sleep)
    {
        var state = frozen ? "FROZEN" : "THAWED";
        CgroupFiles.Write(fs, dir, "freezer.state", state);
        if (!CgroupFiles.WaitFor(() => CgroupFiles.Read(fs, dir, "freezer.state") == state,
                () => CgroupFiles.Write(fs, dir, "freezer.state", state), timeout, sleep))
        {
            if (frozen) { try { CgroupFiles.Write(fs, dir, "freezer.state", "THAWED"); } catch (GockerException) { } }
            throw new GockerException($"cgroup {dir} did not become {state} within {timeout.TotalSeconds:0.#}s");
        }
    }
}
