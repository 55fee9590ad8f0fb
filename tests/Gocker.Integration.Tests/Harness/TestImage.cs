using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gocker.Integration.Tests.Harness;

/// <summary>Builds image archives for the tests, as `docker save` (docker-archive) or an OCI layout
/// would hold them: layers are tars made here (the busybox rootfs tarball of the build, plus small
/// layers of files and whiteouts), the config a JSON written here. The test process may hash with
/// the BCL: only the gocker binary must not load OpenSSL.</summary>
public sealed class TestImage
{
    public List<byte[]> Layers { get; } = [];
    public JsonObject RunConfig { get; } = new();

    public static string BusyboxTar => Path.Combine(GockerBinary.Directory, "images", "busybox.tar");

    /// <summary>busybox as the bottom layer.</summary>
    public static TestImage Busybox()
    {
        var image = new TestImage();
        image.Layers.Add(File.ReadAllBytes(BusyboxTar));
        return image;
    }

    public TestImage With(string key, JsonNode value)
    {
        RunConfig[key] = value;
        return this;
    }

    public TestImage AddLayer(byte[] tar)
    {
        Layers.Add(tar);
        return this;
    }

    /// <summary>A layer tar: (name, content) files; content null = a directory; a name with
    /// "-> target" is a symlink; "=> target" a hard link.</summary>
    public static byte[] Layer(params (string Name, string? Content)[] entries)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                PaxTarEntry e;
                if (name.Contains(" -> "))
                {
                    var p = name.Split(" -> ");
                    e = new PaxTarEntry(TarEntryType.SymbolicLink, p[0]) { LinkName = p[1] };
                }
                else if (name.Contains(" => "))
                {
                    var p = name.Split(" => ");
                    e = new PaxTarEntry(TarEntryType.HardLink, p[0]) { LinkName = p[1] };
                }
                else if (content is null)
                {
                    e = new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 };
                }
                else
                {
                    e = new PaxTarEntry(TarEntryType.RegularFile, name)
                    {
                        DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                        Mode = (UnixFileMode)0b111_101_101,
                    };
                }
                e.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000); // same bytes every time
                w.WriteEntry(e);
            }
        }
        return ms.ToArray();
    }

    public static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static byte[] Gzip(byte[] bytes)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(bytes);
        return ms.ToArray();
    }

    public static byte[] Gunzip(byte[] bytes)
    {
        using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }

    /// <param name="diffIds">Override the config's diff ids (a digest mismatch test).</param>
    public byte[] ConfigBytes(List<string>? diffIds = null)
    {
        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["created"] = "2024-01-02T03:04:05Z",
            ["config"] = RunConfig.DeepClone(),
            ["rootfs"] = new JsonObject
            {
                ["type"] = "layers",
                ["diff_ids"] = new JsonArray((diffIds ?? Layers.Select(Digest).ToList()).Select(d => (JsonNode)d!).ToArray()),
            },
            ["history"] = new JsonArray(Layers.Select((_, i) => (JsonNode)new JsonObject { ["created"] = "2024-01-02T03:04:05Z", ["created_by"] = $"layer {i}" }).ToArray()),
        };
        return Encoding.UTF8.GetBytes(config.ToJsonString());
    }

    public string Id => Digest(ConfigBytes());

    /// <summary>docker save's classic layout: &lt;id&gt;/layer.tar, &lt;config&gt;.json, manifest.json, repositories.</summary>
    /// <param name="plainLayers">With <paramref name="gzipLayers"/>: the layers (by index) left uncompressed.</param>
    public void WriteDockerArchive(string path, string[] tags, bool gzipLayers = false, List<string>? diffIds = null,
        Action<Dictionary<string, byte[]>>? tamper = null, int[]? plainLayers = null)
    {
        var files = new Dictionary<string, byte[]>();
        var config = ConfigBytes(diffIds);
        var configName = Convert.ToHexStringLower(SHA256.HashData(config)) + ".json";
        files[configName] = config;
        var layerNames = new List<string>();
        foreach (var (layer, index) in Layers.Select((l, i) => (l, i)))
        {
            var name = $"{Digest(layer)[7..]}/layer.tar";
            files[name] = gzipLayers && !(plainLayers ?? []).Contains(index) ? Gzip(layer) : layer;
            layerNames.Add(name);
        }
        var manifest = new JsonArray(new JsonObject
        {
            ["Config"] = configName,
            ["RepoTags"] = new JsonArray(tags.Select(t => (JsonNode)t!).ToArray()),
            ["Layers"] = new JsonArray(layerNames.Select(n => (JsonNode)n!).ToArray()),
        });
        files["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        tamper?.Invoke(files);
        WriteTar(path, files);
    }

    /// <summary>An OCI image layout: gzip layers, the name in the ref.name annotation.</summary>
    public void WriteOciArchive(string path, string tag)
    {
        var files = new Dictionary<string, byte[]> { ["oci-layout"] = """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray() };
        JsonObject Blob(string mediaType, byte[] bytes)
        {
            files[$"blobs/sha256/{Digest(bytes)[7..]}"] = bytes;
            return new JsonObject { ["mediaType"] = mediaType, ["digest"] = Digest(bytes), ["size"] = bytes.Length };
        }
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Blob("application/vnd.oci.image.config.v1+json", ConfigBytes()),
            ["layers"] = new JsonArray(Layers.Select(l => (JsonNode)Blob("application/vnd.oci.image.layer.v1.tar+gzip", Gzip(l))).ToArray()),
        };
        var descriptor = Blob("application/vnd.oci.image.manifest.v1+json", Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        descriptor["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
        files["index.json"] = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(descriptor),
        }.ToJsonString());
        WriteTar(path, files);
    }

    public static void WriteTar(string path, Dictionary<string, byte[]> files)
    {
        using var f = File.Create(path);
        using var w = new TarWriter(f, TarEntryFormat.Ustar);
        foreach (var (name, bytes) in files)
            w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
    }

    /// <summary>The regular files of a tar: name → bytes (empty files too).</summary>
    public static Dictionary<string, byte[]> ReadTar(string path)
    {
        var files = new Dictionary<string, byte[]>();
        using var f = File.OpenRead(path);
        using var r = new TarReader(f);
        TarEntry? e;
        while ((e = r.GetNextEntry()) is not null)
        {
            if (e.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                continue;
            var ms = new MemoryStream();
            e.DataStream?.CopyTo(ms);
            files[e.Name.TrimStart('.', '/')] = ms.ToArray();
        }
        return files;
    }

    public static JsonNode Json(byte[] bytes) => JsonNode.Parse(bytes)!;
}
