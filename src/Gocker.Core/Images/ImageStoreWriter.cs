using System.Text.Json;
using Gocker.Core.Containers;

namespace Gocker.Core.Images;

/// <summary>A write in progress: &lt;root&gt;/images/.staging-&lt;random&gt;/, locked by its writer
/// (flock on its "lock" file). A staging directory whose lock is free belongs to a writer that died:
/// the next store writer removes it. Never seen by readers (nothing refers to it).</summary>
public sealed class StagingArea : IDisposable
{
    private readonly FileLock _lock;
    private int _next;

    public string Dir { get; }

    private StagingArea(string dir, FileLock fileLock) => (Dir, _lock) = (dir, fileLock);

    /// <param name="storeLockHeld">The caller holds the store's exclusive lock already (a second
    /// flock on the same file from this process would wait for itself).</param>
    public static StagingArea Create(ImageStore store, bool storeLockHeld = false)
    {
        // Under the store lock (shared is enough): the sweep, which holds it exclusively, can never
        // see this directory between its mkdir and its lock.
        using var storeLock = storeLockHeld ? null : store.LockShared();
        store.Root.EnsureCreated();
        var dir = $"{store.Dir}/.staging-{ContainerId.New()[..16]}";
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var fileLock = FileLock.TryExclusive($"{dir}/lock") ?? throw new GockerException($"cannot lock {dir}");
            return new StagingArea(dir, fileLock);
        }
        catch
        {
            StoreFiles.TryDeleteDirectory(dir);
            throw;
        }
    }

    /// <summary>A fresh path inside the staging directory.</summary>
    public string NewPath(string what) => $"{Dir}/{what}-{_next++}";

    public void Dispose()
    {
        StoreFiles.TryDeleteDirectory(Dir);
        _lock.Dispose();
    }
}

/// <summary>A layer unpacked in a staging area, ready to be renamed into the store.</summary>
public sealed record StagedLayer(string DiffId, string Dir, LayerInfo Info);

/// <summary>The store's writer: holds the exclusive lock from construction to Dispose, so what it
/// does (layers renamed into place, configs written, tags changed, garbage removed) is one critical
/// section that no reader of the tags and no other writer interleaves with. Staging (the slow part:
/// reading and unpacking) happens before, outside the lock.</summary>
public sealed class ImageStoreWriter : IDisposable
{
    private readonly ImageStore _store;
    private readonly FileLock _lock;
    private bool _tagsChanged;

    public Dictionary<string, string> Tags { get; }

    public ImageStoreWriter(ImageStore store)
    {
        _store = store;
        store.Root.EnsureCreated();
        _lock = FileLock.Exclusive(store.LockFile);
        try
        {
            SweepStaging();
            Tags = store.ReadTags();
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>Removes what interrupted writes left (their writer's lock is free).</summary>
    private void SweepStaging()
    {
        foreach (var dir in Directory.EnumerateDirectories(_store.Dir, ".staging-*"))
        {
            FileLock? stale;
            try { stale = FileLock.TryExclusive($"{dir}/lock"); }
            catch (IOException) { stale = null; StoreFiles.TryDeleteDirectory(dir); continue; }
            using (stale)
            {
                if (stale is not null)
                    StoreFiles.TryDeleteDirectory(dir);
            }
        }
    }

    /// <summary>Renames a staged layer into place (or drops it: the store has it already) and makes
    /// its short link.</summary>
    public void AddLayer(StagedLayer layer)
    {
        var dest = _store.LayerDir(layer.DiffId);
        Directory.CreateDirectory(_store.LayersDir);
        if (_store.HasLayer(layer.DiffId))
        {
            StoreFiles.TryDeleteDirectory(layer.Dir);
        }
        else
        {
            if (Directory.Exists(dest))
                StoreFiles.TryDeleteDirectory(dest); // a layer whose info never got written: incomplete
            File.WriteAllBytes($"{layer.Dir}/info", JsonSerializer.SerializeToUtf8Bytes(layer.Info, StoreJsonContext.Default.LayerInfo));
            Directory.Move(layer.Dir, dest);
        }
        EnsureLink(layer.DiffId);
    }

    private void EnsureLink(string diffId)
    {
        Directory.CreateDirectory(_store.LinksDir);
        var link = $"{_store.LinksDir}/{ImageStore.LinkName(diffId)}";
        var target = $"../layers/{ImageStore.Hex(diffId)}/diff";
        var existing = new FileInfo(link).LinkTarget;
        if (existing == target)
            return;
        if (existing is not null && Directory.Exists($"{_store.LinksDir}/{existing}"))
            throw new GockerException($"layer {diffId}: its short name {ImageStore.LinkName(diffId)} is taken by another layer");
        if (existing is not null)
            File.Delete(link);
        File.CreateSymbolicLink(link, target);
    }

    /// <summary>Stores a config (its exact bytes) once its layers are all in the store; returns the image id.</summary>
    public string AddConfig(byte[] bytes)
    {
        var config = ImageConfig.Parse(bytes, "image config");
        foreach (var diffId in config.Rootfs.DiffIds)
        {
            if (!_store.HasLayer(diffId))
                throw new GockerException($"image config refers to layer {diffId}, which is not in the store");
        }
        var id = Sha256.Digest(bytes);
        var path = _store.ConfigPath(id);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(_store.ConfigsDir);
            StoreFiles.WriteAtomically(path, bytes);
        }
        return id;
    }

    /// <summary>Points NAME:TAG at an image; returns the image it pointed at before, if another.</summary>
    public string? Tag(string nameTag, string id)
    {
        Tags.TryGetValue(nameTag, out var previous);
        Tags[nameTag] = id;
        _tagsChanged = true;
        return previous == id ? null : previous;
    }

    public bool Untag(string nameTag)
    {
        bool removed = Tags.Remove(nameTag);
        _tagsChanged |= removed;
        return removed;
    }

    public void DeleteConfig(string id)
    {
        foreach (var name in ImageStore.NamesOf(Tags, id))
            Untag(name);
        try { File.Delete(_store.ConfigPath(id)); } catch (DirectoryNotFoundException) { }
    }

    /// <summary>Removes every layer that no image and no container (<paramref name="inUse"/>: diff
    /// ids) uses; returns their diff ids. A layer is renamed into a staging directory first, so an
    /// interrupted removal leaves a swept leftover, never half a layer in layers/.</summary>
    public List<string> CollectLayers(ISet<string> inUse)
    {
        var used = new HashSet<string>(inUse, StringComparer.Ordinal);
        foreach (var id in _store.ImageIds())
        {
            if (_store.TryLoad(id) is { } image)
                used.UnionWith(image.DiffIds.Select(ImageStore.Hex));
        }
        var removed = new List<string>();
        if (!Directory.Exists(_store.LayersDir))
            return removed;
        foreach (var dir in Directory.EnumerateDirectories(_store.LayersDir))
        {
            var hex = Path.GetFileName(dir);
            if (used.Contains(hex))
                continue;
            try { File.Delete($"{_store.LinksDir}/{ImageStore.LinkName(hex)}"); } catch (DirectoryNotFoundException) { }
            var doomed = $"{_store.Dir}/.staging-rm-{ContainerId.New()[..16]}";
            Directory.Move(dir, doomed);
            StoreFiles.TryDeleteDirectory(doomed);
            removed.Add("sha256:" + hex);
        }
        return removed;
    }

    /// <summary>Writes the tags: the last step, so that a failure before it leaves no new name
    /// (layers and configs stored before it are unreferenced and go at the next rmi).</summary>
    public void Commit()
    {
        if (!_tagsChanged)
            return;
        StoreFiles.WriteAtomically(_store.TagsFile, FastJson.WriteTags(Tags));
        _tagsChanged = false;
    }

    public void Dispose() => _lock.Dispose();
}

internal static class StoreFiles
{
    /// <summary>Written beside the destination and renamed over it: readers see the old or the new file, whole.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        var tmp = $"{path}.tmp-{ContainerId.New()[..8]}";
        using (var f = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
        {
            f.Write(bytes);
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>A file the caller streams (save -o, export -o): written beside <paramref name="path"/>
    /// and renamed over it, so a failure leaves no partial file.</summary>
    public static void WriteStreamed(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var tmp = $"{Path.GetDirectoryName(full)}/.{Path.GetFileName(full)}.tmp-{ContainerId.New()[..8]}";
        try
        {
            using (var output = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                write(output);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    public static void TryDeleteDirectory(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
