using Gocker.Core.Interop;

namespace Gocker.Core.Images;

/// <summary>How deletions are written into an unpacked layer. In a layer tar (OCI image-spec
/// layer.md) a deleted NAME is an empty entry ".wh.NAME", and ".wh..wh..opq" in a directory hides
/// everything lower layers have in it; overlayfs says the same with a character device 0/0 and the
/// xattr trusted.overlay.opaque=y. Both need root (CAP_MKNOD, CAP_SYS_ADMIN for trusted.*), hence
/// the seam: unit tests record the calls.</summary>
public interface IWhiteoutWriter
{
    void Whiteout(string path);

    void MarkOpaque(string directory);
}

/// <summary>The real overlayfs whiteouts.</summary>
public sealed class OverlayWhiteouts : IWhiteoutWriter
{
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";
    public const string OpaqueXattr = "trusted.overlay.opaque";

    public static readonly OverlayWhiteouts Instance = new();

    public void Whiteout(string path) =>
        Libc.Check(Libc.Mknod(path, Libc.S_IFCHR, Libc.Makedev(0, 0)), $"mknod whiteout {path}");

    public void MarkOpaque(string directory) =>
        Libc.Check(Libc.Lsetxattr(directory, OpaqueXattr, "y"u8, 1, 0), $"setxattr {OpaqueXattr} {directory}");

    /// <summary>Whether an entry of an overlay upper dir is a whiteout (char device 0/0).</summary>
    internal static bool IsWhiteout(in Libc.Stat st) => (st.Mode & Libc.S_IFMT) == Libc.S_IFCHR && st.Rdev == 0;

    internal static bool IsOpaque(string directory) => Libc.Lgetxattr(directory, OpaqueXattr) is [(byte)'y'];
}
