using Gocker.Core.Images;
using Gocker.Core.State;
using Gocker.Core.Volumes;

namespace Gocker.Core.Containers;

/// <summary>`create` (and the first half of `run`): validates everything, then adds the record (the
/// name is reserved under the store lock) and writes the container's directory and config.json.
/// A failure leaves nothing behind.</summary>
public sealed class ContainerCreator(GockerRoot root, string imagesDir, Func<string, string?> hostEnv,
    Network.NetworkHost? networkHost = null)
{
    /// <param name="id">The id to give the container (`run` spawns its monitor with it first), or null
    /// for a new one.</param>
    public ContainerConfig Create(RunOptions o, string? id = null)
    {
        if (o.Detach && (o.Tty || o.Interactive))
            throw new GockerException("Conflicting options: -d cannot be used with -t or -i (a detached container has no terminal or stdin to attach)");
        id ??= ContainerId.New();
        var hostname = o.Hostname ?? ContainerNetworking.DefaultHostname(Network.ContainerNetworkSettings.From(o.Network, null), id);
        ContainerId.ValidateHostname(hostname);
        if (o.Name is not null)
            ContainerId.ValidateName(o.Name);
        if (o.WorkingDir is { Length: > 0 } wd && !wd.StartsWith('/'))
            throw new GockerException($"the working directory '{wd}' is invalid, it needs to be an absolute path");
        var userEnv = o.EnvFiles.SelectMany(EnvironmentBuilder.ReadEnvFile).Concat(o.Env).ToList();
        var (logMax, logFiles) = LogOptions.Parse(o.LogOptions);
        ContainerCgroups.Parse(o.Resources);
        if (o.StopSignal is { Length: > 0 } stopSignal)
            Process.Signals.Parse(stopSignal);
        var mounts = MountRequests.Parse(o.Volumes, o.Mounts, o.Tmpfs, Environment.CurrentDirectory, Path.Exists);
        var security = Security.ContainerSecurity.Parse(o.Security);

        root.EnsureCreated();
        root.SweepTrash();
        var network = new ContainerNetworking(root, networkHost).Validate(o.Network);
        var images = new ImageStore(root);
        // Shared store lock from the lookup until the record exists: rmi (exclusive) either sees this
        // container or runs before the lookup, never between (a half-created container's layers).
        var imageLock = images.LockShared();
        try
        {
            var image = images.TryResolve(o.Image);
            if (image is null)
            {
                imageLock.Dispose();
                imageLock = null;
                image = new ImageService(root, imagesDir).ImportBundled(o.Image)
                    ?? throw new GockerException($"Unable to find image '{DisplayName(o.Image)}' locally (gocker has no registry: load or import it first)");
                imageLock = images.LockShared();
            }
            var run = RunConfigMerge.Merge(image.Run, o.Command, o.Entrypoint, o.WorkingDir, o.User, o.StopSignal);
            var env = EnvironmentBuilder.Build(hostname, o.Tty, run.ImageEnv, userEnv, hostEnv);
            // Holds the volume lock until config.json is written (when there are volumes at all); a new
            // volume gets the image's content at its path (copy-up), read from the layers top first.
            var layersTopFirst = new List<string>(image.DiffIds.Count);
            for (int i = image.DiffIds.Count - 1; i >= 0; i--) // not Reverse().Select(): see UserMounts.Ordered
                layersTopFirst.Add(images.LayerDiff(image.DiffIds[i]));
            using var volumes = new ContainerVolumes(root).Prepare(mounts, layersTopFirst);
            var now = DateTimeOffset.UtcNow;
            var config = new ContainerConfig
            {
                Id = id,
                Name = o.Name ?? "",
                Image = o.Image,
                ImageId = image.Id,
                ImageLayers = [.. image.DiffIds],
                Args = run.Args,
                Entrypoint = run.Entrypoint,
                Cmd = run.Cmd,
                StopSignal = run.StopSignal,
                ExposedPorts = run.ExposedPorts,
                Env = env,
                Hostname = hostname,
                User = run.User,
                WorkingDir = run.WorkingDir,
                Tty = o.Tty,
                OpenStdin = o.Interactive,
                Init = o.Init,
                AutoRemove = o.Remove,
                LogMaxSize = logMax,
                LogMaxFiles = logFiles,
                CreatedAt = now.ToUnixTimeMilliseconds() * 1_000_000,
                Resources = o.Resources,
                Mounts = volumes.Mounts,
                ReadonlyRootfs = o.ReadOnly,
                Network = network,
                Security = security,
            };
            try
            {
                return Record(config, o, id, hostname);
            }
            catch
            {
                volumes.Rollback();
                throw;
            }
        }
        finally
        {
            imageLock?.Dispose();
        }
    }

    private static string DisplayName(string reference) =>
        ImageReference.TryParse(reference, out var r, out _) ? r.ToString() : reference;

    private ContainerConfig Record(ContainerConfig config, RunOptions o, string id, string hostname)
    {
        using var store = new StateStore(root.StateDb);
        var record = store.Update(tx => tx.Add(new ContainerRecord
        {
            Id = id,
            Name = o.Name ?? FreeGeneratedName(tx, id),
            Status = ContainerStatus.Created,
            CreatedAt = config.CreatedAt,
            Image = o.Image,
            Command = CommandSummary(config.Args),
        }));
        config = config.WithName(record.Name);
        var files = new ContainerFiles(root.ContainerDir(id));
        try
        {
            var (hosts, resolvConf) = ContainerNetworking.EtcFiles(config.Network, hostname, record.Name);
            files.Create(hostname, hosts: hosts, resolvConf: resolvConf, spareDir: root.SpareDir);
            config.Save(files.ConfigFile);
        }
        catch
        {
            files.Remove();
            store.Update(tx => { tx.Remove(tx.Find(id)); return 0; });
            throw;
        }
        return config;
    }

    private static string FreeGeneratedName(StoreTransaction tx, string id)
    {
        var taken = tx.Records.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        for (int attempt = 0; ; attempt++)
        {
            var name = NameGenerator.Next(id, attempt);
            if (!taken.Contains(name))
                return name;
        }
    }

    /// <summary>Docker's COMMAND column source (arguments with spaces are quoted).</summary>
    public static string CommandSummary(IReadOnlyList<string> args) =>
        Formatting.PsFields.CommandLine(args[0], args.Skip(1).ToList());
}
