using Gocker.Core.Process;

namespace Gocker.Core.Containers;

/// <summary>Container names are unique: a name is a file under names/ created with O_EXCL, holding
/// the container id and the owning gocker process (pid and start time). A reservation whose owner is
/// gone (gocker killed) is stale and taken over.</summary>
public sealed class NameRegistry(GockerRoot root)
{
    public void Reserve(string name, string id)
    {
        ContainerId.ValidateName(name);
        var path = $"{root.NamesDir}/{name}";
        var self = ProcessIdentity.Of(Environment.ProcessId) ?? new ProcessIdentity(Environment.ProcessId, 0);
        var content = $"{id}\n{self}\n";
        using var _ = FileLock.Exclusive($"{root.NamesDir}/.lock");
        if (File.Exists(path))
        {
            var lines = File.ReadAllLines(path);
            var owner = lines.Length > 1 ? ProcessIdentity.Parse(lines[1]) : null;
            if (owner is { } o && o.IsAlive())
                throw new GockerException($"Conflict. The container name \"/{name}\" is already in use by container \"{lines[0]}\". " +
                    "You have to remove (or rename) that container to be able to reuse that name.");
        }
        var tmp = $"{path}.{id}.tmp";
        File.WriteAllText(tmp, content);
        File.Move(tmp, path, overwrite: true);
    }

    public void Release(string name, string id)
    {
        var path = $"{root.NamesDir}/{name}";
        using var _ = FileLock.Exclusive($"{root.NamesDir}/.lock");
        try
        {
            if (File.ReadLines(path).FirstOrDefault() == id)
                File.Delete(path);
        }
        catch (IOException) { }
    }
}
