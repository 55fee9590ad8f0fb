using Gocker.Core.Containers;
using Gocker.Core.Filesystem;

namespace Gocker.Core.Volumes;

/// <summary>What containers do with volumes and binds: create makes the named volumes a container
/// mounts (copying the image's content into new ones, as Docker does), start settles the host side
/// of every mount, and removal drops anonymous volumes when asked.</summary>
public sealed class ContainerVolumes(GockerRoot root)
{
    public VolumeStore Store { get; } = new($"{root.Path}/volumes");

    /// <summary>Creates the volumes that <paramref name="mounts"/> name and that do not exist yet, and
    /// returns the mounts with every volume named (anonymous ones get a random 64-hex name). The volume
    /// lock is held by the result until it is disposed: the caller writes the container's config
    /// meanwhile, so `volume rm` never sees a volume in use as unused. Without volumes, no lock.</summary>
    /// <param name="imageLayers">The image's layer directories, top first (the copy-up source).</param>
    public PreparedVolumes Prepare(IReadOnlyList<MountSpec> mounts, IReadOnlyList<string> imageLayers)
    {
        if (!mounts.Any(m => m.Type == MountType.Volume))
            return new PreparedVolumes(null, Store, [], mounts.ToList());
        var l = Store.Lock();
        var created = new List<string>();
        try
        {
            var result = new List<MountSpec>();
            foreach (var m in mounts)
            {
                if (m.Type != MountType.Volume)
                {
                    result.Add(m);
                    continue;
                }
                var name = m.Anonymous ? ContainerId.New() : m.Source!;
                Action<string>? copyUp = m.NoCopy ? null : data => CopyImageContent(imageLayers, m.Destination, data);
                if (Store.TryGet(name) is null)
                {
                    Store.Create(name, LabelsOf(m), copyUp);
                    created.Add(name);
                }
                else if (copyUp is not null && Store.IsEmpty(name) && Users(name).Count == 0)
                {
                    // Docker copies into any empty volume; one that a container uses is left alone
                    // here, since replacing its data directory would cut that container off.
                    Store.Populate(name, copyUp);
                }
                result.Add(m with { Source = name });
            }
            return new PreparedVolumes(l, Store, created, result);
        }
        catch
        {
            // Best effort (Rollback), so the lock is released and the first error is the one reported.
            try { new PreparedVolumes(null, Store, created, []).Rollback(); }
            finally { l.Dispose(); }
            throw;
        }
    }

    /// <summary>Docker's copy-up: the image's directory at <paramref name="destination"/> (resolved inside
    /// the image, symlinks included, never outside it) is copied into a new volume. A path the image
    /// does not have, or that is not a directory there, copies nothing.</summary>
    public static void CopyImageContent(IReadOnlyList<string> imageLayers, string destination, string data)
    {
        using var layers = new LayerDirectories();
        var view = new OverlayView(imageLayers, layers);
        var node = view.Lookup(InRootPath.Resolve(view, destination));
        if (node is { Entry.Type: EntryType.Directory })
            TreeCopy.CopyInto(view, node, data);
    }

    /// <summary>The host side of every mount, settled at each start (as Docker does): a missing -v bind
    /// source is created as a directory, a missing --mount bind source is an error, a volume that was
    /// removed behind gocker's back is created again (empty).</summary>
    public List<ContainerMount> ForStart(IReadOnlyList<MountSpec> mounts)
    {
        var result = new List<ContainerMount>(mounts.Count);
        foreach (var m in mounts)
        {
            switch (m.Type)
            {
                case MountType.Tmpfs:
                    result.Add(new ContainerMount
                    {
                        Type = ContainerMount.TmpfsType, Destination = m.Destination, ReadOnly = m.ReadOnly,
                        Flags = m.TmpfsFlags, Data = m.TmpfsData,
                    });
                    break;
                case MountType.Bind:
                    var source = m.Source!;
                    if (!Path.Exists(source))
                    {
                        if (!m.CreateSource)
                            throw new GockerException($"invalid mount config for type \"bind\": bind source path does not exist: {source}");
                        try { Directory.CreateDirectory(source); }
                        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                        {
                            throw new GockerException($"error while creating mount source path '{source}': {e.Message}");
                        }
                    }
                    result.Add(Bind(source, m, !Directory.Exists(source)));
                    break;
                default:
                    if (Store.TryGet(m.Source!) is null)
                    {
                        using var _ = Store.Lock();
                        if (Store.TryGet(m.Source!) is null)
                            Store.Create(m.Source!, LabelsOf(m));
                    }
                    result.Add(Bind(Store.DataDir(m.Source!), m, false));
                    break;
            }
        }
        return result;
    }

    /// <summary>A volume made for a mount: Docker's anonymous label, or the --mount volume-label=s.</summary>
    private static Dictionary<string, string>? LabelsOf(MountSpec m) =>
        m.Anonymous ? new() { [VolumeInfo.AnonymousLabel] = "" } : m.VolumeLabels;

    private static ContainerMount Bind(string source, MountSpec m, bool file) => new()
    {
        Type = ContainerMount.BindType, Source = source, Destination = m.Destination, ReadOnly = m.ReadOnly, File = file,
    };

    /// <summary>Removes the given anonymous volumes of a removed container (rm -v, --rm), those no other
    /// container uses. Named volumes are never removed with a container.</summary>
    public void RemoveAnonymous(IEnumerable<string> names)
    {
        var list = names.ToList();
        if (list.Count == 0)
            return;
        using var _ = Store.Lock();
        foreach (var name in list)
        {
            if (Store.TryGet(name) is { Anonymous: true } && Users(name).Count == 0)
                Store.Delete(name);
        }
    }

    /// <summary>The ids of the containers (any state) whose configuration mounts the volume. Call it
    /// under the volume lock: creates hold it until their configuration is written.</summary>
    public List<string> Users(string volume) =>
        ContainerConfigs().Where(c => c.Mounts.Any(m => m.Type == MountType.Volume && m.Source == volume)).Select(c => c.Id).ToList();

    /// <summary>The configuration of every container on disk, any state; one being created or removed
    /// meanwhile (no readable config.json) is skipped.</summary>
    public IEnumerable<ContainerConfig> ContainerConfigs()
    {
        if (!Directory.Exists(root.ContainersDir))
            yield break;
        foreach (var dir in Directory.EnumerateDirectories(root.ContainersDir))
        {
            ContainerConfig config;
            try { config = ContainerConfig.Load(new ContainerFiles(dir).ConfigFile); }
            catch (GockerException) { continue; }
            yield return config;
        }
    }

    /// <summary>The anonymous volumes of a container's configuration.</summary>
    public static List<string> AnonymousOf(ContainerConfig config)
    {
        var names = new List<string>();
        foreach (var m in config.Mounts) // not Where().Select(): see UserMounts.Ordered
            if (m is { Type: MountType.Volume, Anonymous: true })
                names.Add(m.Source!);
        return names;
    }
}

/// <summary>The mounts of a container being created, with its volumes made; holds the volume lock
/// until disposed. <see cref="Rollback"/> removes the volumes this create made.</summary>
public sealed class PreparedVolumes(IDisposable? lockHandle, VolumeStore store, List<string> created, List<MountSpec> mounts) : IDisposable
{
    public List<MountSpec> Mounts { get; } = mounts;

    public void Rollback()
    {
        foreach (var name in created)
        {
            try { store.Delete(name); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        created.Clear();
    }

    public void Dispose() => lockHandle?.Dispose();
}
