using Gocker.Core.Images;
using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>`create` (and the first half of `run`): validates everything, then adds the record (the
/// name is reserved under the store lock) and writes the container's directory and config.json.
/// A failure leaves nothing behind.</summary>
public sealed class ContainerCreator(GockerRoot root, string imagesDir, Func<string, string?> hostEnv)
{
    public ContainerConfig Create(RunOptions o)
    {
        if (o.Detach && (o.Tty || o.Interactive))
            throw new GockerException("Conflicting options: -d cannot be used with -t or -i (a detached container has no terminal or stdin to attach)");
        var id = ContainerId.New();
        var hostname = o.Hostname ?? ContainerId.Short(id);
        ContainerId.ValidateHostname(hostname);
        if (o.Name is not null)
            ContainerId.ValidateName(o.Name);
        if (o.WorkingDir is { Length: > 0 } wd && !wd.StartsWith('/'))
            throw new GockerException($"the working directory '{wd}' is invalid, it needs to be an absolute path");
        var userEnv = o.EnvFiles.SelectMany(EnvironmentBuilder.ReadEnvFile).Concat(o.Env).ToList();
        var env = EnvironmentBuilder.Build(hostname, o.Tty, [], userEnv, hostEnv);
        var command = o.Command.Count > 0 ? o.Command.ToList() : ["/bin/sh"];
        var (logMax, logFiles) = LogOptions.Parse(o.LogOptions);
        ContainerCgroups.Parse(o.Resources);
        var security = Security.ContainerSecurity.Parse(o.Security);

        root.EnsureCreated();
        var imageRootfs = new BundledImages(root, imagesDir).Resolve(o.Image);
        var now = DateTimeOffset.UtcNow;
        var config = new ContainerConfig
        {
            Id = id,
            Name = o.Name ?? "",
            Image = o.Image,
            ImageRootfs = imageRootfs,
            Args = command,
            Env = env,
            Hostname = hostname,
            User = o.User,
            WorkingDir = o.WorkingDir,
            Tty = o.Tty,
            OpenStdin = o.Interactive,
            Init = o.Init,
            AutoRemove = o.Remove,
            LogMaxSize = logMax,
            LogMaxFiles = logFiles,
            CreatedAt = now.ToUnixTimeMilliseconds() * 1_000_000,
            Resources = o.Resources,
            Security = security,
        };

        using var store = new StateStore(root.StateDb);
        var record = store.Update(tx => tx.Add(new ContainerRecord
        {
            Id = id,
            Name = o.Name ?? FreeGeneratedName(tx, id),
            Status = ContainerStatus.Created,
            CreatedAt = config.CreatedAt,
            Image = o.Image,
            Command = CommandSummary(command),
        }));
        config = config.WithName(record.Name);
        var files = new ContainerFiles(root.ContainerDir(id));
        try
        {
            files.Create(hostname);
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
