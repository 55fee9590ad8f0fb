namespace Gocker.Core.Cgroups;

/// <summary>v2 freezer (core, no controller to enable): cgroup.freeze 1/0, done when cgroup.events says
/// "frozen 1"/"frozen 0".</summary>
internal static class V2Freezer
{
    public static void Set(ICgroupFs fs, string dir, bool frozen, TimeSpan timeout, Action<TimeSpan> sleep)
    {
        if (!fs.Exists(Path.Combine(dir, "cgroup.freeze")))
            throw new GockerException("cgroup freezer is not available (cgroup.freeze needs Linux 5.2)");
        var value = frozen ? "1" : "0";
        CgroupFiles.Write(fs, dir, "cgroup.freeze", value);
        long want = frozen ? 1 : 0;
        if (!CgroupFiles.WaitFor(() => CgroupFiles.ReadKey(fs, dir, "cgroup.events", "frozen") == want, () => { }, timeout, sleep))
        {
            if (frozen) { try { CgroupFiles.Write(fs, dir, "cgroup.freeze", "0"); } catch (GockerException) { } }
            throw new GockerException($"cgroup {dir} did not become {(frozen ? "frozen" : "thawed")} within {timeout.TotalSeconds:0.#}s");
        }
    }
}
