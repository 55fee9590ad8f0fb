namespace Gocker.Core.Filesystem;

/// <summary>What a path inside a root is, as <see cref="InRootPath"/> needs to know it.</summary>
public enum NodeKind { Missing, Directory, Symlink, Other }

/// <summary>A directory tree seen from inside: the container's rootfs (the real one, or an image's
/// layers merged). <c>rel</c> is relative to the root, "" for the root itself, and every parent in it
/// is a directory that was resolved already.</summary>
public interface IRootView
{
    /// <summary>The kind of <paramref name="rel"/> itself, a final symlink not followed.</summary>
    NodeKind Kind(string rel);

    /// <summary>The target of the symlink <paramref name="rel"/>, as stored.</summary>
    string ReadLink(string rel);
}

/// <summary>Resolves a container path as the kernel would after chroot into the root (runc's
/// securejoin, the kernel's RESOLVE_IN_ROOT): symlinks are followed, but an absolute target starts
/// again at the root and ".." never climbs above it. The image is untrusted: a symlink /data -> /etc
/// must name the container's /etc, never the host's.</summary>
public static class InRootPath
{
    /// <summary>The kernel's limit (MAXSYMLINKS).</summary>
    public const int MaxSymlinks = 40;

    /// <summary>The resolved path relative to the root ("a/b/c", "" for the root), free of symlinks,
    /// "." and "..". Components after the first missing one are kept as given (after lexical
    /// cleaning): they are what a caller would create.</summary>
    /// <exception cref="GockerException">A symlink loop (more than <see cref="MaxSymlinks"/>), or a
    /// component that exists and is not a directory but has more path after it.</exception>
    public static string Resolve(IRootView view, string path)
    {
        var remaining = new LinkedList<string>(Split(path));
        var resolved = new List<string>();
        int links = 0;
        bool missing = false;
        while (remaining.First is { } node)
        {
            var c = node.Value;
            remaining.RemoveFirst();
            if (c == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = Join(resolved, c);
            var kind = missing ? NodeKind.Missing : view.Kind(candidate);
            switch (kind)
            {
                case NodeKind.Symlink:
                    if (++links > MaxSymlinks)
                        throw new GockerException($"cannot resolve {path} in the container: too many levels of symbolic links");
                    var target = view.ReadLink(candidate);
                    if (target.StartsWith('/'))
                        resolved.Clear();
                    foreach (var t in Split(target).Reverse())
                        remaining.AddFirst(t);
                    continue;
                case NodeKind.Other when remaining.Count > 0:
                    throw new GockerException($"cannot resolve {path} in the container: /{candidate} is not a directory");
                case NodeKind.Missing:
                    missing = true;
                    break;
            }
            resolved.Add(c);
        }
        return string.Join('/', resolved);
    }

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".");

    private static string Join(List<string> parts, string last) =>
        parts.Count == 0 ? last : string.Join('/', parts) + "/" + last;
}

/// <summary>An <see cref="IRootView"/> over a real directory (the mounted rootfs, in init).</summary>
public sealed class DirectoryRootView(string root) : IRootView
{
    public NodeKind Kind(string rel)
    {
        var path = rel.Length == 0 ? root : $"{root}/{rel}";
        if (Interop.Libc.Lstat(path, out var st) < 0)
            return NodeKind.Missing;
        return (st.Mode & Interop.Libc.S_IFMT) switch
        {
            Interop.Libc.S_IFDIR => NodeKind.Directory,
            Interop.Libc.S_IFLNK => NodeKind.Symlink,
            _ => NodeKind.Other,
        };
    }

    public string ReadLink(string rel) => new FileInfo($"{root}/{rel}").LinkTarget ?? "";
}
