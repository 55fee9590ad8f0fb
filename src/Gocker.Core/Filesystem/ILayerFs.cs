namespace Gocker.Core.Filesystem;

public enum EntryType { Directory, Regular, Symlink, CharDevice, BlockDevice, Fifo, Socket }

/// <summary>One file of a layer directory, as lstat(2) sees it.</summary>
public sealed record LayerEntry(EntryType Type, uint Mode, uint Uid, uint Gid, long Size, long MtimeSeconds,
    uint DevMajor = 0, uint DevMinor = 0, ulong Dev = 0, ulong Inode = 0, ulong Links = 1)
{
    /// <summary>overlayfs marks a deleted lower file with a character device 0/0 in the upper layer.</summary>
    public bool IsWhiteout => Type == EntryType.CharDevice && DevMajor == 0 && DevMinor == 0;
}

/// <summary>Read access to overlay layer directories (a container's upper dir, an image's layers), behind
/// a seam so that the merge rules are unit-tested on fake trees (a whiteout, a character device 0/0,
/// takes root to create). <c>rel</c> is relative to the layer, "" for its root; implementations never
/// follow a symlink inside a layer.</summary>
public interface ILayerFs
{
    /// <summary>The entry itself, or null when it does not exist.</summary>
    LayerEntry? Lstat(string layer, string rel);

    /// <summary>The names in a directory.</summary>
    IEnumerable<string> List(string layer, string rel);

    /// <summary>overlayfs's trusted.overlay.opaque=y: the directory hides the lower layers' contents.</summary>
    bool IsOpaque(string layer, string rel);

    string ReadLink(string layer, string rel);

    Stream OpenRead(string layer, string rel);
}
