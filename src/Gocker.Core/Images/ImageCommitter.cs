using Gocker.Core.Containers;
using Gocker.Core.Interop;
using Gocker.Core.State;

namespace Gocker.Core.Images;

/// <summary>What `commit` was asked for.</summary>
public sealed record CommitOptions(string Container, string? Reference, string? Message, string? Author,
    IReadOnlyList<string> Changes, bool Pause);

/// <summary>`commit`: a new image made of the container's image layers plus one layer from its
/// upper dir, with a config taken from the container (env, cmd, entrypoint, workdir, user...) and
/// the -c changes applied. A running container is frozen (cgroup freezer) while its upper dir is
/// read, when it has a cgroup.</summary>
public sealed class ImageCommitter(GockerRoot root, ITransferProgress? progress = null)
{
    /// <summary>Directories made for the container's mounts (see RootfsSetup): with only
    /// <see cref="ContainerExporter.BindPlaceholders"/> in them and absent from the image, they are not
    /// the container's changes, nor are those empty files.</summary>
    private static readonly string[] MountDirectories = ["etc", "proc", "sys", "dev"];

    public string Commit(CommitOptions o)
    {
        var name = o.Reference is null ? null : ImageReference.Parse(o.Reference).ToString();
        var changes = CommitChanges.Parse(o.Changes);
        ContainerRecord record;
        using (var state = new StateStore(root.StateDb))
            record = StateStore.Resolve(state.ReadAll().Records, o.Container);
        var files = new ContainerFiles(root.ContainerDir(record.Id));
        var c = ContainerConfig.Load(files.ConfigFile);
        if (c.ImageLayers is null)
            throw new GockerException($"container {record.Id[..12]} was created before the image store: it cannot be committed", ExitCodes.CommandFailed);

        var store = new ImageStore(root);
        using var staging = StagingArea.Create(store);
        var tarPath = staging.NewPath("layer.tar");
        var excluded = Excluded(store, c.ImageLayers, files.Upper);
        var frozen = o.Pause && StatusRules.IsRunning(record.Status) && record.Status != ContainerStatus.Paused
            ? ContainerCgroups.For(record.Id) is { Exists: true } cg ? cg : null
            : null;
        frozen?.Freeze();
        try
        {
            using var output = new FileStream(tarPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            UpperDirTar.Write(files.Upper, output, excluded);
        }
        finally
        {
            frozen?.Thaw();
        }

        StagedLayer layer;
        progress?.Start("Committing", new FileInfo(tarPath).Length);
        using (var tar = File.OpenRead(tarPath))
            layer = LayerStager.Stage(tar, staging.NewPath("layer"), progress: progress is null ? null : progress.Report);
        progress?.Finish();
        File.Delete(tarPath);

        var config = NewConfig(store, c, layer.DiffId, o, changes);
        using var writer = new ImageStoreWriter(store);
        foreach (var diffId in c.ImageLayers)
        {
            if (!store.HasLayer(diffId))
                throw new GockerException($"layer {diffId} of the container's image is no longer in the store", ExitCodes.CommandFailed);
        }
        writer.AddLayer(layer);
        var id = writer.AddConfig(config.ToBytes());
        if (name is not null)
            writer.Tag(name, id);
        writer.Commit();
        return id;
    }

    private static HashSet<string> Excluded(ImageStore store, IReadOnlyList<string> layers, string upper)
    {
        bool InImage(string rel) => layers.Any(l =>
        {
            var p = $"{store.LayerDiff(l)}/{rel}";
            return Libc.LstatExists(p) && !OverlayWhiteouts.IsWhiteout(Libc.Lstat(p));
        });
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rel in ContainerExporter.BindPlaceholders)
        {
            if (File.Exists($"{upper}/{rel}") && new FileInfo($"{upper}/{rel}").Length == 0 && !InImage(rel))
                excluded.Add(rel);
        }
        foreach (var rel in MountDirectories)
        {
            var dir = $"{upper}/{rel}";
            if (Directory.Exists(dir) && !InImage(rel)
                && Directory.EnumerateFileSystemEntries(dir).All(e => excluded.Contains($"{rel}/{Path.GetFileName(e)}")))
                excluded.Add(rel);
        }
        return excluded;
    }

    private static ImageConfig NewConfig(ImageStore store, ContainerConfig c, string diffId, CommitOptions o, CommitChanges changes)
    {
        var baseImage = c.ImageId is null ? null : store.TryLoad(c.ImageId);
        var created = ImageConfig.Now();
        var run = baseImage?.Config.Config ?? new ImageRunConfig();
        var env = c.Env.Where(e => !e.StartsWith("HOSTNAME=", StringComparison.Ordinal) && !(c.Tty && e == "TERM=xterm")).ToList();
        run = new ImageRunConfig
        {
            User = c.User ?? "",
            ExposedPorts = c.ExposedPorts is { Count: > 0 } ports ? ports.ToDictionary(p => p, _ => new EmptyObject()) : null,
            Env = env,
            Entrypoint = c.Entrypoint,
            Cmd = c.Cmd,
            Volumes = run.Volumes,
            WorkingDir = c.WorkingDir ?? "",
            Labels = run.Labels,
            StopSignal = c.StopSignal,
        };
        changes.Apply(run);
        var history = baseImage?.Config.History?.ToList() ?? [];
        history.Add(new ImageHistory
        {
            Created = created,
            CreatedBy = ContainerCreator.CommandSummary(c.Args),
            Author = o.Author,
            Comment = o.Message,
        });
        return new ImageConfig
        {
            Architecture = baseImage?.Config.Architecture ?? ArchivePlan.HostArchitecture,
            Os = "linux",
            Created = created,
            Author = o.Author,
            Comment = o.Message,
            Config = run,
            Rootfs = new ImageRootfs { DiffIds = [.. c.ImageLayers!, diffId] },
            History = history,
        };
    }
}
