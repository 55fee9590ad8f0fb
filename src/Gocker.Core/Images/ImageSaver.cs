using System.IO.Compression;
using System.Text.Json;

namespace Gocker.Core.Images;

/// <summary>`save`: images as a docker-archive (manifest.json, repositories, &lt;config&gt;.json,
/// &lt;layer&gt;/layer.tar: what `docker load` and `podman load` read) or an OCI image layout
/// (oci-layout, index.json, blobs/sha256/...). A layer.tar is the stored blob (decompressed when it
/// came gzip-compressed): byte for byte the tar the layer was made from, so its sha256 is the diff
/// id in the config; an OCI layout gets the stored blob itself, with its digest.</summary>
public sealed class ImageSaver(ImageStore store, ITransferProgress? progress = null)
{
    public const string DockerFormat = "docker", OciFormat = "oci";

    private sealed record Selected(StoredImage Image, List<string> Names);

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, renamed over it at the end:
    /// a failed save leaves no half archive.</summary>
    public void SaveToFile(IReadOnlyList<string> references, string format, string path)
    {
        var selected = Select(references, format);
        StoreFiles.WriteStreamed(path, output => Write(selected, format, output));
    }

    public void Save(IReadOnlyList<string> references, string format, Stream output) =>
        Write(Select(references, format), format, output);

    private List<Selected> Select(IReadOnlyList<string> references, string format)
    {
        if (format is not (DockerFormat or OciFormat))
            throw new GockerException($"unsupported format {format}: docker or oci", ExitCodes.CommandFailed);
        if (references.Count == 0)
            throw new GockerException("save needs at least one image", ExitCodes.CommandFailed);
        var selected = new List<Selected>();
        foreach (var reference in references)
        {
            var image = store.Resolve(reference, ExitCodes.CommandFailed);
            var entry = selected.FirstOrDefault(s => s.Image.Id == image.Id);
            if (entry is null)
                selected.Add(entry = new Selected(image, []));
            if (image.FoundAs is { } name && !entry.Names.Contains(name))
                entry.Names.Add(name);
        }
        return selected;
    }

    private void Write(List<Selected> selected, string format, Stream output)
    {
        var mtime = selected[0].Image.Config.CreatedTime.ToUnixTimeSeconds();
        var tar = new TarBuilder(output, Math.Max(0, mtime));
        var layers = selected.SelectMany(s => s.Image.DiffIds).Distinct().Select(d => (DiffId: d, Info: store.ReadLayerInfo(d))).ToList();
        progress?.Start("Saving", layers.Sum(l => format == DockerFormat ? l.Info.TarSize : l.Info.BlobSize));
        long done = 0;
        void Advance(long n)
        {
            done += n;
            progress?.Report(done);
        }
        if (format == DockerFormat)
            WriteDocker(tar, selected, layers, Advance);
        else
            WriteOci(tar, selected, layers, Advance);
        tar.Finish();
        progress?.Finish();
    }

    private void WriteDocker(TarBuilder tar, List<Selected> selected, List<(string DiffId, LayerInfo Info)> layers, Action<long> advance)
    {
        foreach (var (diffId, info) in layers)
        {
            var hex = ImageStore.Hex(diffId);
            tar.Directory(hex);
            using var blob = File.OpenRead(store.LayerBlob(diffId));
            using var tarStream = info.IsGzip ? new GZipStream(blob, CompressionMode.Decompress) : (Stream)blob;
            tar.File($"{hex}/layer.tar", info.TarSize, tarStream, advance);
        }
        var manifest = new List<DockerManifestEntry>();
        var repositories = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var s in selected)
        {
            tar.File($"{s.Image.Hex}.json", s.Image.ConfigBytes);
            var layerPaths = s.Image.DiffIds.Select(d => $"{ImageStore.Hex(d)}/layer.tar").ToList();
            manifest.Add(new DockerManifestEntry { Config = $"{s.Image.Hex}.json", RepoTags = s.Names.Count > 0 ? s.Names : null, Layers = layerPaths });
            foreach (var name in s.Names)
            {
                var r = ImageReference.Parse(name);
                if (!repositories.TryGetValue(r.Name, out var tags))
                    repositories[r.Name] = tags = new(StringComparer.Ordinal);
                tags[r.Tag] = s.Image.DiffIds.Count > 0 ? ImageStore.Hex(s.Image.DiffIds[^1]) : "";
            }
        }
        tar.File("manifest.json", JsonSerializer.SerializeToUtf8Bytes(manifest, ArchiveJsonContext.Default.ListDockerManifestEntry));
        if (repositories.Count > 0)
            tar.File("repositories", JsonSerializer.SerializeToUtf8Bytes(repositories, ArchiveJsonContext.Default.DictionaryStringDictionaryStringString));
    }

    private void WriteOci(TarBuilder tar, List<Selected> selected, List<(string DiffId, LayerInfo Info)> layers, Action<long> advance)
    {
        tar.File("oci-layout", JsonSerializer.SerializeToUtf8Bytes(new OciLayoutFile(), ArchiveJsonContext.Default.OciLayoutFile));
        tar.Directory("blobs");
        tar.Directory("blobs/sha256");
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (diffId, info) in layers)
        {
            if (!written.Add(info.BlobDigest))
                continue;
            using var blob = File.OpenRead(store.LayerBlob(diffId));
            tar.File($"blobs/sha256/{ImageStore.Hex(info.BlobDigest)}", info.BlobSize, blob, advance);
        }
        var index = new OciIndex { MediaType = MediaTypes.OciIndex };
        foreach (var s in selected)
        {
            var manifest = new OciManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = Blob(tar, written, MediaTypes.OciConfig, s.Image.ConfigBytes),
                Layers = s.Image.DiffIds.Select(d => store.ReadLayerInfo(d)).Select(i => new OciDescriptor
                {
                    MediaType = i.BlobMediaType, Digest = i.BlobDigest, Size = i.BlobSize,
                }).ToList(),
            };
            var descriptor = Blob(tar, written, MediaTypes.OciManifest,
                JsonSerializer.SerializeToUtf8Bytes(manifest, ArchiveJsonContext.Default.OciManifest));
            if (s.Names.Count == 0)
                index.Manifests.Add(descriptor);
            foreach (var name in s.Names)
            {
                var full = name.Contains('/') && name.Split('/')[0] is var d && (d.Contains('.') || d.Contains(':') || d == "localhost")
                    ? name : name.Contains('/') ? $"docker.io/{name}" : $"docker.io/library/{name}";
                index.Manifests.Add(new OciDescriptor
                {
                    MediaType = descriptor.MediaType, Digest = descriptor.Digest, Size = descriptor.Size,
                    Annotations = new() { [MediaTypes.ContainerdName] = full, [MediaTypes.RefName] = name },
                });
            }
        }
        tar.File("index.json", JsonSerializer.SerializeToUtf8Bytes(index, ArchiveJsonContext.Default.OciIndex));
    }

    private static OciDescriptor Blob(TarBuilder tar, HashSet<string> written, string mediaType, byte[] bytes)
    {
        var digest = Sha256.Digest(bytes);
        if (written.Add(digest))
            tar.File($"blobs/sha256/{ImageStore.Hex(digest)}", bytes);
        return new OciDescriptor { MediaType = mediaType, Digest = digest, Size = bytes.Length };
    }
}
