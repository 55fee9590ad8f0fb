using System.IO.Compression;
using Gocker.Core.Containers;

namespace Gocker.Core.Images;

/// <summary>The image commands the CLI calls: import, load, tag, rmi (save, commit, listings in
/// their own files). Every write stages first, then takes the store's lock for the renames: a failure
/// or a kill before that leaves only a staging directory, which the next writer sweeps.</summary>
public sealed class ImageService(GockerRoot root, string bundledDir, ITransferProgress? progress = null)
{
    private readonly ImageStore _store = new(root);

    public ImageStore Store => _store;

    /// <summary>`import`: a rootfs tarball (plain or gzip) becomes a one-layer image; returns its id.</summary>
    public string Import(Stream input, long? inputLength, string source, string? reference,
        IReadOnlyList<string>? changes = null, string? message = null)
    {
        var name = reference is null ? null : ImageReference.Parse(reference).ToString();
        var parsedChanges = CommitChanges.Parse(changes ?? []);
        using var staging = StagingArea.Create(_store);
        progress?.Start("Importing", inputLength);
        var layer = Stage(input, staging.NewPath("layer"), null, null);
        progress?.Finish();
        if (layer.Info.TarSize == 0)
            throw new GockerException("invalid tar: the input is empty");
        var run = new ImageRunConfig();
        parsedChanges.Apply(run);
        var config = NewConfig(message ?? $"Imported from {source}", ImageConfig.Now(), [layer.DiffId], run);
        using var writer = new ImageStoreWriter(_store);
        writer.AddLayer(layer);
        var id = writer.AddConfig(config.ToBytes());
        if (name is not null)
            writer.Tag(name, id);
        writer.Commit();
        return id;
    }

    /// <summary>The image beside the executable (images/NAME.tar, a rootfs tarball), imported as
    /// NAME:latest the first time it is asked for. Under the store lock from start to end, so two
    /// first runs import it once; its config is deterministic (created = the file's mtime), so the
    /// id is the same on every root.</summary>
    public StoredImage? ImportBundled(string reference)
    {
        if (!ImageReference.TryParse(reference, out var r, out _) || r.Tag != ImageReference.DefaultTag
            || r.Name.Contains('/') || reference.StartsWith("sha256:", StringComparison.Ordinal))
            return null;
        var tar = $"{bundledDir}/{r.Name}.tar";
        if (!File.Exists(tar))
            return null;
        using var writer = new ImageStoreWriter(_store);
        if (writer.Tags.TryGetValue(r.ToString(), out var existing) && _store.TryLoad(existing) is { } already)
            return already;
        using var staging = StagingArea.Create(_store, storeLockHeld: true);
        StagedLayer layer;
        using (var input = File.OpenRead(tar))
            layer = LayerStager.Stage(input, staging.NewPath("layer"));
        var created = new DateTimeOffset(File.GetLastWriteTimeUtc(tar)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var config = NewConfig($"Imported from {Path.GetFileName(tar)}", created, [layer.DiffId],
            new ImageRunConfig { Env = [$"PATH={EnvironmentBuilder.DefaultPath}"], Cmd = ["sh"] });
        var bytes = config.ToBytes();
        writer.AddLayer(layer);
        var id = writer.AddConfig(bytes);
        writer.Tag(r.ToString(), id);
        writer.Commit();
        return new StoredImage(id, bytes, r.ToString());
    }

    internal static ImageConfig NewConfig(string comment, string created, List<string> diffIds, ImageRunConfig? run) => new()
    {
        Architecture = ArchivePlan.HostArchitecture,
        Os = "linux",
        Created = created,
        Comment = comment,
        Config = run ?? new ImageRunConfig(),
        Rootfs = new ImageRootfs { DiffIds = diffIds },
        History = [new ImageHistory { Created = created, Comment = comment }],
    };

    /// <summary>`load`: a docker-archive or an OCI layout archive (plain or gzip), from a file or a
    /// stream; returns Docker's output lines.</summary>
    public List<string> Load(Stream? input, string? path)
    {
        using var staging = StagingArea.Create(_store);
        var archivePath = Spool(input, path, staging);
        using var archive = new ArchiveIndex(archivePath);
        var images = ArchivePlan.Read(archive);
        if (images.Count == 0)
            throw new GockerException("invalid image archive: it holds no image");

        var staged = new Dictionary<string, StagedLayer>(StringComparer.Ordinal);
        var toRead = images.SelectMany(i => i.Layers).DistinctBy(l => l.DiffId)
            .Where(l => !_store.HasLayer(l.DiffId)).ToList();
        progress?.Start("Loading layers", toRead.Sum(l => archive.LengthOf(l.ArchivePath)));
        long before = 0;
        foreach (var layer in toRead)
        {
            using var stream = archive.Open(layer.ArchivePath);
            long start = before;
            staged[layer.DiffId] = LayerStager.Stage(stream, staging.NewPath("layer"), layer.DiffId, layer.BlobDigest,
                progress is null ? null : n => progress.Report(start + n));
            before += archive.LengthOf(layer.ArchivePath);
        }
        progress?.Finish();

        var output = new List<string>();
        using var writer = new ImageStoreWriter(_store);
        foreach (var layer in staged.Values)
            writer.AddLayer(layer);
        foreach (var image in images)
        {
            var id = writer.AddConfig(image.Config);
            foreach (var name in image.Names)
            {
                if (writer.Tag(name, id) is { } previous)
                    output.Add($"The image {name} already exists, renaming the old one with ID {previous} to empty string");
                output.Add($"Loaded image: {name}");
            }
            if (image.Names.Count == 0)
                output.Add($"Loaded image ID: {id}");
        }
        writer.Commit();
        return output;
    }

    /// <summary>The archive as a plain tar file to index: the file itself, or (stdin, gzip) a copy
    /// in the staging area.</summary>
    private string Spool(Stream? input, string? path, StagingArea staging)
    {
        Stream source = input ?? File.OpenRead(path!);
        try
        {
            var head = new byte[6];
            int got = source.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (got == 0)
                throw new GockerException("invalid image archive: the input is empty");
            var format = Compressions.Detect(head.AsSpan(0, got));
            if (format is not (Compression.None or Compression.Gzip))
                throw new GockerException($"unsupported archive compression {format.ToString().ToLowerInvariant()} (plain and gzip are)");
            if (format == Compression.None && input is null)
                return path!;
            var copy = staging.NewPath("archive");
            progress?.Start("Reading archive", input is null ? new FileInfo(path!).Length : null);
            using var counted = new DigestStream(new PrefixedStream(head[..got], source), progress: progress is null ? null : progress.Report);
            using (var output = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                if (format == Compression.Gzip)
                {
                    using var gunzip = new GZipStream(counted, CompressionMode.Decompress);
                    CopyChecked(gunzip, output);
                }
                else
                {
                    counted.CopyTo(output);
                }
            }
            progress?.Finish();
            return copy;
        }
        finally
        {
            if (input is null)
                source.Dispose();
        }
    }

    private static void CopyChecked(Stream from, Stream to)
    {
        try { from.CopyTo(to); }
        catch (InvalidDataException e) { throw new GockerException($"invalid image archive: corrupt gzip: {e.Message}"); }
    }

    private StagedLayer Stage(Stream input, string dir, string? diffId, string? blobDigest) =>
        LayerStager.Stage(input, dir, diffId, blobDigest, progress is null ? null : progress.Report);

    /// <summary>`tag SOURCE TARGET`.</summary>
    public void Tag(string source, string target)
    {
        var name = ImageReference.Parse(target).ToString();
        using var writer = new ImageStoreWriter(_store);
        var image = _store.TryResolve(source, writer.Tags)
            ?? throw new GockerException($"No such image: {source}", ExitCodes.CommandFailed);
        writer.Tag(name, image.Id);
        writer.Commit();
    }

    /// <summary>`rmi [-f] IMAGE`: Docker's untag-or-delete; returns its output lines.</summary>
    public List<string> Remove(string reference, bool force)
    {
        using var writer = new ImageStoreWriter(_store);
        var image = _store.TryResolve(reference, writer.Tags)
            ?? throw new GockerException($"No such image: {reference}", ExitCodes.CommandFailed);
        var names = ImageStore.NamesOf(writer.Tags, image.Id);
        var uses = ImageUsage.Read(root);
        var user = uses.FirstOrDefault(u => u.ImageId == image.Id);
        var output = new List<string>();
        bool byName = image.FoundAs is not null;
        string shortId = image.Hex[..12];

        if (byName && names.Count > 1)
        {
            // One of several names: only that name goes, whoever uses the image.
            writer.Untag(image.FoundAs!);
            writer.Commit();
            return [$"Untagged: {image.FoundAs}"];
        }
        if (!byName && names.Count > 1 && !force)
            throw new GockerException($"conflict: unable to delete {shortId} (must be forced) - image is referenced in multiple repositories", ExitCodes.CommandFailed);
        if (user is not null && !force)
        {
            var message = byName
                ? $"conflict: unable to remove repository reference \"{reference}\" (must force) - container {user.ContainerId[..12]} is using its referenced image {shortId}"
                : $"conflict: unable to delete {shortId} (must be forced) - image is being used by container {user.ContainerId[..12]}";
            throw new GockerException(message, ExitCodes.CommandFailed);
        }
        foreach (var name in names)
        {
            writer.Untag(name);
            output.Add($"Untagged: {name}");
        }
        writer.DeleteConfig(image.Id);
        output.Add($"Deleted: {image.Id}");
        // Layers that a container's overlay still uses stay, whatever -f says.
        var inUse = uses.SelectMany(u => u.Layers).Select(ImageStore.Hex).ToHashSet(StringComparer.Ordinal);
        var removed = writer.CollectLayers(inUse).ToHashSet(StringComparer.Ordinal);
        foreach (var chain in ChainIds(image.DiffIds).Where(c => removed.Contains(c.DiffId)).Reverse())
            output.Add($"Deleted: {chain.ChainId}");
        writer.Commit();
        return output;
    }

    /// <summary>Docker's layer ids in its output: chain ids (the first layer's is its diff id; then
    /// sha256 of "parent-chain-id diff-id").</summary>
    public static List<(string DiffId, string ChainId)> ChainIds(IReadOnlyList<string> diffIds)
    {
        var chains = new List<(string, string)>();
        string? parent = null;
        foreach (var diffId in diffIds)
        {
            parent = parent is null ? diffId : Sha256.Digest(System.Text.Encoding.ASCII.GetBytes($"{parent} {diffId}"));
            chains.Add((diffId, parent));
        }
        return chains;
    }
}
