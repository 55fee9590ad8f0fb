using Gocker.Core.Formatting;

namespace Gocker.Core.Volumes;

/// <summary>How `inspect` shows a container's mounts, as Docker does: .Mounts for binds, volumes and
/// --mount tmpfs (Docker leaves --tmpfs out of it); HostConfig.Binds for -v specs with a source,
/// Config.Volumes for -v PATH, HostConfig.Mounts for --mount, HostConfig.Tmpfs for --tmpfs.</summary>
public static class MountInspect
{
    public static List<InspectMount> Mounts(IEnumerable<MountSpec> mounts, VolumeStore store) =>
        mounts.Where(m => m.Origin != MountOrigin.Tmpfs).Select(m => m.Type switch
        {
            MountType.Bind => new InspectMount
            {
                Type = m.Type, Source = m.Source!, Destination = m.Destination, Mode = m.Mode, ReadWrite = !m.ReadOnly,
                Propagation = "rprivate",
            },
            MountType.Volume => new InspectMount
            {
                Type = m.Type, Name = m.Source, Source = store.DataDir(m.Source!), Destination = m.Destination,
                Driver = "local", Mode = m.Origin == MountOrigin.Volume && !m.Anonymous && m.Mode.Length == 0 ? "z" : m.Mode,
                ReadWrite = !m.ReadOnly, Propagation = "",
            },
            _ => new InspectMount { Type = m.Type, Source = "", Destination = m.Destination, Mode = "", ReadWrite = !m.ReadOnly, Propagation = "" },
        }).ToList();

    public static List<string>? Binds(IEnumerable<MountSpec> mounts) =>
        NullIfEmpty(mounts.Where(m => m.Origin == MountOrigin.Volume && !m.Anonymous).Select(m => m.Spec!).ToList());

    public static Dictionary<string, EmptyObject>? AnonymousVolumes(IEnumerable<MountSpec> mounts)
    {
        var d = mounts.Where(m => m.Origin == MountOrigin.Volume && m.Anonymous).ToDictionary(m => m.Destination, _ => new EmptyObject());
        return d.Count > 0 ? d : null;
    }

    public static Dictionary<string, string>? Tmpfs(IEnumerable<MountSpec> mounts)
    {
        var d = mounts.Where(m => m.Origin == MountOrigin.Tmpfs).ToDictionary(m => m.Destination, m => m.Spec ?? "");
        return d.Count > 0 ? d : null;
    }

    public static List<InspectHostMount>? HostMounts(IEnumerable<MountSpec> mounts) =>
        NullIfEmpty(mounts.Where(m => m.Origin == MountOrigin.Mount).Select(m => new InspectHostMount
        {
            Type = m.Type,
            // An anonymous volume's generated name is not what was asked for.
            Source = m.Anonymous ? null : m.Source,
            Target = m.Destination,
            ReadOnly = m.ReadOnly,
        }).ToList());

    /// <summary>ps's {{.Mounts}}: volume names and bind sources, in order.</summary>
    public static List<string> Names(IEnumerable<MountSpec> mounts) =>
        mounts.Where(m => m.Type != MountType.Tmpfs).Select(m => m.Source!).ToList();

    private static List<T>? NullIfEmpty<T>(List<T> list) => list.Count > 0 ? list : null;
}
