namespace Gocker.Core.Images;

/// <summary>A layer to read from an archive: its diff id (from the config), where it is in the
/// archive, and the digest of its blob when the archive states one (OCI descriptors).</summary>
public sealed record LayerSource(string DiffId, string ArchivePath, string? BlobDigest);

/// <summary>An image found in an archive: its config's exact bytes, its names, its layers bottom first.</summary>
public sealed record ArchiveImage(byte[] Config, List<string> Names, List<LayerSource> Layers);

/// <summary>Reads what a docker-archive (manifest.json) or an OCI image layout (oci-layout,
/// index.json, blobs/sha256/...) holds, checking everything that can be checked before a single
/// layer is read: the files exist, blob digests and sizes of the small JSON blobs match, the
/// layer count matches the config. Layer digests are checked while the layers are staged.</summary>
public static class ArchivePlan
{
    public static List<ArchiveImage> Read(ArchiveIndex archive)
    {
        if (archive.Contains("manifest.json"))
            return ReadDocker(archive);
        if (archive.Contains("index.json"))
            return ReadOci(archive);
        throw new GockerException("unrecognized image archive: it has neither manifest.json (docker-archive) nor index.json (OCI layout)");
    }

    private static List<ArchiveImage> ReadDocker(ArchiveIndex archive)
    {
        var entries = ArchiveJson.Parse(archive.ReadAll("manifest.json"), ArchiveJsonContext.Default.ListDockerManifestEntry, "manifest.json");
        var images = new List<ArchiveImage>();
        foreach (var entry in entries)
        {
            if (!archive.Contains(entry.Config))
                throw new GockerException($"invalid image archive: config {entry.Config} is missing");
            var config = archive.ReadAll(entry.Config);
            // blobs/sha256/<hex> (Docker 25 and later): the name is the digest, check it.
            if (BlobHex(entry.Config) is { } hex && Sha256.Digest(config) != "sha256:" + hex)
                throw new GockerException($"invalid image archive: digest mismatch for config {entry.Config}");
            var parsed = ImageConfig.Parse(config, entry.Config);
            var diffIds = parsed.Rootfs.DiffIds;
            if (diffIds.Count != entry.Layers.Count)
                throw new GockerException($"invalid image archive: {entry.Config} lists {diffIds.Count} layers, manifest.json {entry.Layers.Count}");
            var layers = new List<LayerSource>();
            for (int i = 0; i < diffIds.Count; i++)
            {
                if (!archive.Contains(entry.Layers[i]))
                    throw new GockerException($"invalid image archive: layer {entry.Layers[i]} is missing");
                layers.Add(new LayerSource(CheckDigest(diffIds[i]), entry.Layers[i], null));
            }
            var names = (entry.RepoTags ?? []).Select(t => ImageReference.Parse(t).ToString()).ToList();
            images.Add(new ArchiveImage(config, names, layers));
        }
        return images;
    }

    private static List<ArchiveImage> ReadOci(ArchiveIndex archive)
    {
        if (!archive.Contains("oci-layout"))
            throw new GockerException("invalid image archive: index.json without oci-layout");
        var index = ArchiveJson.Parse(archive.ReadAll("index.json"), ArchiveJsonContext.Default.OciIndex, "index.json");
        var images = new List<ArchiveImage>();
        foreach (var descriptor in index.Manifests)
            AddOci(archive, descriptor, NameOf(descriptor), images, depth: 0);
        return images;
    }

    private static void AddOci(ArchiveIndex archive, OciDescriptor descriptor, string? name, List<ArchiveImage> images, int depth)
    {
        if (MediaTypes.IsIndex(descriptor.MediaType))
        {
            if (depth > 4)
                throw new GockerException("invalid image archive: image indexes nested too deep");
            var nested = ArchiveJson.Parse(ReadBlob(archive, descriptor), ArchiveJsonContext.Default.OciIndex, descriptor.Digest);
            // A multi-platform index: this host's platform only (as `docker load` does).
            var candidates = nested.Manifests.Where(m => m.Platform is null || (m.Platform.Os == "linux" && m.Platform.Architecture == HostArchitecture)).ToList();
            if (candidates.Count == 0)
                throw new GockerException($"image {name ?? descriptor.Digest} has no manifest for linux/{HostArchitecture}");
            AddOci(archive, candidates[0], name ?? NameOf(candidates[0]), images, depth + 1);
            return;
        }
        if (!MediaTypes.IsManifest(descriptor.MediaType))
            throw new GockerException($"invalid image archive: unsupported manifest media type {descriptor.MediaType}");
        var manifest = ArchiveJson.Parse(ReadBlob(archive, descriptor), ArchiveJsonContext.Default.OciManifest, descriptor.Digest);
        var config = ReadBlob(archive, manifest.Config);
        var parsed = ImageConfig.Parse(config, manifest.Config.Digest);
        var diffIds = parsed.Rootfs.DiffIds;
        if (diffIds.Count != manifest.Layers.Count)
            throw new GockerException($"invalid image archive: config {manifest.Config.Digest} lists {diffIds.Count} layers, its manifest {manifest.Layers.Count}");
        var layers = new List<LayerSource>();
        for (int i = 0; i < diffIds.Count; i++)
        {
            var layer = manifest.Layers[i];
            var path = BlobPath(layer);
            if (!archive.Contains(path))
                throw new GockerException($"invalid image archive: layer blob {layer.Digest} is missing");
            if (archive.LengthOf(path) != layer.Size)
                throw new GockerException($"invalid image archive: layer blob {layer.Digest} has {archive.LengthOf(path)} bytes, its descriptor says {layer.Size}");
            bool compressed = layer.MediaType is MediaTypes.OciLayerGzip or MediaTypes.DockerLayerGzip;
            if (!compressed && layer.MediaType is not (MediaTypes.OciLayer or MediaTypes.DockerLayer))
                throw new GockerException($"unsupported layer media type {layer.MediaType} (plain and gzip tars are)");
            if (!compressed && layer.Digest != diffIds[i])
                throw new GockerException($"layer digest mismatch: the manifest says {layer.Digest}, the config {diffIds[i]}");
            layers.Add(new LayerSource(CheckDigest(diffIds[i]), path, layer.Digest));
        }
        images.Add(new ArchiveImage(config, name is null ? [] : [name], layers));
    }

    /// <summary>A blob's bytes, checked against its descriptor's size and digest.</summary>
    private static byte[] ReadBlob(ArchiveIndex archive, OciDescriptor d)
    {
        var path = BlobPath(d);
        if (!archive.Contains(path))
            throw new GockerException($"invalid image archive: blob {d.Digest} is missing");
        var bytes = archive.ReadAll(path);
        if (bytes.Length != d.Size || Sha256.Digest(bytes) != d.Digest)
            throw new GockerException($"invalid image archive: digest mismatch for blob {d.Digest}");
        return bytes;
    }

    private static string BlobPath(OciDescriptor d) => $"blobs/sha256/{ImageStore.Hex(CheckDigest(d.Digest))}";

    private static string? BlobHex(string path) =>
        path.StartsWith("blobs/sha256/", StringComparison.Ordinal) && path[13..] is { Length: 64 } hex ? hex : null;

    private static string CheckDigest(string digest)
    {
        if (!digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.Length != 71
            || digest.AsSpan(7).ContainsAnyExcept("0123456789abcdef"))
            throw new GockerException($"invalid image archive: unsupported digest {digest} (sha256 only)");
        return digest;
    }

    /// <summary>The image's name from its annotations: containerd's full name, else the OCI ref
    /// name when it is a full reference (a bare tag names nothing on its own).</summary>
    private static string? NameOf(OciDescriptor d)
    {
        var a = d.Annotations;
        if (a is null)
            return null;
        if (a.TryGetValue(MediaTypes.ContainerdName, out var full) && ImageReference.TryParse(full, out var r1, out _))
            return r1.ToString();
        if (a.TryGetValue(MediaTypes.RefName, out var refName) && refName.Contains(':') && ImageReference.TryParse(refName, out var r2, out _))
            return r2.ToString();
        return null;
    }

    public static string HostArchitecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        _ => "amd64",
    };
}
