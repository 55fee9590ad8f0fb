namespace Gocker.Core.Containers;

/// <summary>The state directory (--root, GOCKER_ROOT, default /var/lib/gocker) and its layout.</summary>
public sealed class GockerRoot
{
    public const string DefaultPath = "/var/lib/gocker";

    public string Path { get; }
    public string ImagesDir => $"{Path}/images";
    public string ContainersDir => $"{Path}/containers";
    public string NamesDir => $"{Path}/names";
    /// <summary>The state store: one fixed-layout file of container records.</summary>
    public string StateDb => $"{Path}/containers.db";
    /// <summary>What can be rebuilt at any time (compiled seccomp filters).</summary>
    public string CacheDir => $"{Path}/cache";
    /// <summary>Directories of removed containers, moved here to be deleted after the command that
    /// removed them has returned (<see cref="ContainerFiles.MoveToTrash"/>); swept at create.</summary>
    public string TrashDir => $"{Path}/trash";
    /// <summary>Directories of --rm containers, emptied of what they wrote and kept by their monitors for
    /// the next create (native/recycle.c, <see cref="ContainerFiles.Create"/>): slots 0 to 7.</summary>
    public string SpareDir => $"{Path}/spare";

    public GockerRoot(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new GockerException("--root: empty path");
        var full = System.IO.Path.GetFullPath(path).TrimEnd('/');
        // The root's paths go into overlayfs mount options, where ',' and ':' are separators.
        if (full.IndexOfAny([',', ':', '\n']) >= 0)
            throw new GockerException($"--root {path}: the path may not contain ',' or ':'");
        Path = full.Length == 0 ? "/" : full;
    }

    public void EnsureCreated()
    {
        try
        {
            foreach (var dir in new[] { Path, ImagesDir, ContainersDir })
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GockerException($"cannot create the state directory {Path}: {e.Message}");
        }
    }

    public string ContainerDir(string id) => $"{ContainersDir}/{id}";

    /// <summary>Deletes what an interrupted deletion left in <see cref="TrashDir"/> (its monitor was
    /// killed). A directory that its monitor still holds (an flock from the container's creation,
    /// native/monitor.c) is that monitor's to delete or keep as a spare: it is left alone.</summary>
    public void SweepTrash()
    {
        // Most roots never have one: no exception on every create for that (a thrown exception costs
        // more than the check).
        if (!Directory.Exists(TrashDir))
            return;
        foreach (var dir in Directory.GetDirectories(TrashDir))
        {
            try
            {
                using var held = Interop.Libc.OpenIfExists(dir, Interop.Libc.O_RDONLY | Interop.Libc.O_DIRECTORY);
                if (held is null || Interop.Libc.Flock(held, Interop.Libc.LOCK_EX | Interop.Libc.LOCK_NB) != 0)
                    continue;
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }
}
