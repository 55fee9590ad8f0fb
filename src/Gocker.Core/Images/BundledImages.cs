using Gocker.Core.Containers;

namespace Gocker.Core.Images;

/// <summary>Images shipped beside the executable (images/NAME.tar, a rootfs tarball), unpacked once
/// under the root. The full image store comes later; this is enough for `run busybox`.</summary>
public sealed class BundledImages(GockerRoot root, string imagesDir)
{
    public static string DefaultImagesDir =>
        Path.Combine(Path.GetDirectoryName(Environment.ProcessPath) ?? ".", "images");

    /// <summary>Returns the unpacked read-only rootfs of <paramref name="reference"/>.</summary>
    public string Resolve(string reference)
    {
        var (name, tag) = ParseReference(reference);
        var tar = $"{imagesDir}/{name}.tar";
        var unpacked = $"{root.ImagesDir}/{name}/rootfs";
        if (Directory.Exists(unpacked))
            return unpacked;
        if (tag != "latest" || !File.Exists(tar))
            throw new GockerException($"Unable to find image '{name}:{tag}' locally (no {tar})");

        using var _ = FileLock.Exclusive($"{root.ImagesDir}/.lock");
        if (Directory.Exists(unpacked))
            return unpacked; // another gocker unpacked it while we waited
        RemoveStaging();
        // Unpack beside the destination and rename into place: an interrupted unpack leaves only a
        // staging directory, which the next one removes, never a half image.
        var staging = $"{root.ImagesDir}/.staging-{ContainerId.New()[..16]}";
        Directory.CreateDirectory(staging);
        try
        {
            using (var stream = File.OpenRead(tar))
                LayerUnpacker.Unpack(stream, staging);
            Directory.CreateDirectory($"{root.ImagesDir}/{name}");
            Directory.Move(staging, unpacked);
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
        return unpacked;
    }

    private void RemoveStaging()
    {
        foreach (var dir in Directory.EnumerateDirectories(root.ImagesDir, ".staging-*"))
            TryDelete(dir);
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>NAME[:TAG]; names as Docker's (lowercase, digits, separators), never a path.</summary>
    public static (string Name, string Tag) ParseReference(string reference)
    {
        var name = reference;
        var tag = "latest";
        int colon = reference.LastIndexOf(':');
        if (colon > 0 && !reference[colon..].Contains('/'))
        {
            name = reference[..colon];
            tag = reference[(colon + 1)..];
        }
        if (name.Length == 0 || tag.Length == 0 || name.Split('/').Any(c => c is "" or "." or "..")
            || !name.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-' or '/')
            || !tag.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-'))
            throw new GockerException($"invalid reference format: {reference}");
        return (name, tag);
    }
}
