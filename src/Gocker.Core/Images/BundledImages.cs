namespace Gocker.Core.Images;

/// <summary>Images shipped beside the executable: images/NAME.tar, a rootfs tarball (the build writes
/// images/busybox.tar), imported as NAME:latest on first use (<see cref="ImageService.ImportBundled"/>).</summary>
public static class BundledImages
{
    public static string DefaultImagesDir =>
        Path.Combine(Path.GetDirectoryName(Environment.ProcessPath) ?? ".", "images");
}
