using System.Formats.Tar;
using Gocker.Core.Interop;

namespace Gocker.Core.Images;

/// <summary>
/// An overlay upper dir as a layer tar (OCI image-spec layer.md, what `commit` stores): files,
/// directories, symlinks, hard links (once per inode), devices and fifos as they are; an overlay
/// whiteout (character device 0/0) becomes an empty ".wh.NAME" entry, an opaque directory
/// (trusted.overlay.opaque=y) its entry followed by ".wh..wh..opq". Entries in sorted order, owners
/// and modes from lstat (never from passwd: a name lookup would go through NSS, which dlopens).
/// </summary>
public static class UpperDirTar
{
    /// <param name="excluded">Relative paths left out (with everything under them).</param>
    public static void Write(string upper, Stream output, IReadOnlySet<string> excluded)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var links = new Dictionary<(ulong Dev, ulong Ino), string>();
        // A running container (commit --pause=false, or one without a freezer) can swap a file or a
        // directory of its upper dir for a symlink while this walks it: contents are read through
        // LayerDirectories (openat2 beneath the upper dir, no symlinks), never by path, so such a swap
        // fails the commit instead of putting a host file into the image.
        using var layers = new Filesystem.LayerDirectories();
        Walk(writer, layers, upper.TrimEnd('/'), "", excluded, links);
    }

    private static void Walk(TarWriter writer, Filesystem.LayerDirectories layers, string upper, string dir, IReadOnlySet<string> excluded,
        Dictionary<(ulong, ulong), string> links)
    {
        var full = dir.Length == 0 ? upper : $"{upper}/{dir}";
        var names = Directory.EnumerateFileSystemEntries(full).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var rel = dir.Length == 0 ? name : $"{dir}/{name}";
            if (excluded.Contains(rel))
                continue;
            var path = $"{upper}/{rel}";
            var st = Libc.Lstat(path);
            uint type = st.Mode & Libc.S_IFMT;
            if (OverlayWhiteouts.IsWhiteout(st))
            {
                writer.WriteEntry(Entry(TarEntryType.RegularFile, Sibling(rel, OverlayWhiteouts.WhiteoutPrefix + name), st));
                continue;
            }
            switch (type)
            {
                case Libc.S_IFDIR:
                    if (Libc.Lgetxattr(path, "trusted.overlay.redirect") is not null)
                        throw new GockerException($"cannot commit /{rel}: it is a renamed directory (overlay redirect_dir), which a layer tar cannot express");
                    writer.WriteEntry(Entry(TarEntryType.Directory, rel + "/", st));
                    if (OverlayWhiteouts.IsOpaque(path))
                        writer.WriteEntry(Entry(TarEntryType.RegularFile, $"{rel}/{OverlayWhiteouts.OpaqueMarker}", st));
                    Walk(writer, layers, upper, rel, excluded, links);
                    break;
                case Libc.S_IFREG:
                    if (st.Nlink > 1 && links.TryGetValue((st.Dev, st.Ino), out var first))
                    {
                        var hard = Entry(TarEntryType.HardLink, rel, st);
                        hard.LinkName = first;
                        writer.WriteEntry(hard);
                        break;
                    }
                    if (st.Nlink > 1)
                        links[(st.Dev, st.Ino)] = rel;
                    var file = Entry(TarEntryType.RegularFile, rel, st);
                    using (var data = layers.OpenRead(upper, rel))
                    {
                        file.DataStream = data;
                        writer.WriteEntry(file);
                    }
                    break;
                case Libc.S_IFLNK:
                    var link = Entry(TarEntryType.SymbolicLink, rel, st);
                    link.LinkName = new FileInfo(path).LinkTarget ?? "";
                    writer.WriteEntry(link);
                    break;
                case Libc.S_IFCHR or Libc.S_IFBLK:
                    var dev = Entry(type == Libc.S_IFCHR ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice, rel, st);
                    dev.DeviceMajor = (int)Libc.Major(st.Rdev);
                    dev.DeviceMinor = (int)Libc.Minor(st.Rdev);
                    writer.WriteEntry(dev);
                    break;
                case Libc.S_IFIFO:
                    writer.WriteEntry(Entry(TarEntryType.Fifo, rel, st));
                    break;
                default:
                    break; // sockets: not in layers (Docker skips them too)
            }
        }
    }

    private static string Sibling(string rel, string name) => rel.Contains('/') ? $"{rel[..rel.LastIndexOf('/')]}/{name}" : name;

    private static PaxTarEntry Entry(TarEntryType type, string name, in Libc.Stat st) => new(type, name)
    {
        Mode = (UnixFileMode)(type is TarEntryType.RegularFile && (st.Mode & Libc.S_IFMT) == Libc.S_IFCHR ? 0 : st.Mode & 0xfff),
        Uid = (int)st.Uid,
        Gid = (int)st.Gid,
        ModificationTime = DateTimeOffset.FromUnixTimeSeconds(st.MtimeSec),
    };
}
