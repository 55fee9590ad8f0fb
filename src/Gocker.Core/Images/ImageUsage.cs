using Gocker.Core.Containers;
using Gocker.Core.State;

namespace Gocker.Core.Images;

/// <summary>Which containers use which images and layers (rmi's check and its garbage collection):
/// every container of the state store, any status, read from its config.json.</summary>
public sealed record ContainerImageUse(string ContainerId, string? ImageId, IReadOnlyList<string> Layers);

public static class ImageUsage
{
    public static List<ContainerImageUse> Read(GockerRoot root)
    {
        var uses = new List<ContainerImageUse>();
        if (!File.Exists(root.StateDb))
            return uses;
        using var store = new StateStore(root.StateDb);
        foreach (var record in store.ReadAll().Records)
        {
            var path = new ContainerFiles(root.ContainerDir(record.Id)).ConfigFile;
            if (!File.Exists(path))
                continue; // being created or removed: its record alone holds nothing
            ContainerConfig config;
            try { config = ContainerConfig.Load(path); }
            catch (GockerException) { continue; }
            uses.Add(new ContainerImageUse(record.Id, config.ImageId, config.ImageLayers ?? []));
        }
        return uses;
    }
}

/// <summary>Bytes done out of a total, for a terminal's progress line (the CLI draws it; null: none).</summary>
public interface ITransferProgress
{
    void Start(string label, long? total);

    /// <summary>Bytes done so far (absolute).</summary>
    void Report(long done);

    void Finish();
}
