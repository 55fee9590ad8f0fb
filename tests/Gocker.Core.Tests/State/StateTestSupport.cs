using Gocker.Core.Containers;
using Gocker.Core.State;

namespace Gocker.Core.Tests.State;

/// <summary>A temp directory with a store in it, removed afterwards.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Dir = Directory.CreateTempSubdirectory("gocker-state-").FullName;
        Path = $"{Dir}/containers.db";
        Store = new StateStore(Path);
    }

    public string Dir { get; }
    public string Path { get; }
    public StateStore Store { get; }

    public static ContainerRecord NewRecord(string? name = null, string? id = null) => new()
    {
        Id = id ?? ContainerId.New(),
        Name = name ?? "",
        Status = ContainerStatus.Created,
        CreatedAt = 1_700_000_000_000_000_000,
        Image = "busybox",
        Command = "\"sh\"",
    };

    /// <summary>An id that starts with <paramref name="prefix"/> (hex), padded with zeros.</summary>
    public static string IdWithPrefix(string prefix) => prefix + new string('0', 64 - prefix.Length);

    public ContainerRecord Add(ContainerRecord r) => Store.Update(tx => tx.Add(r));

    public byte[] Bytes() => File.ReadAllBytes(Path);

    /// <summary>Changes the file in place, as damage or a crash would.</summary>
    public void Patch(long offset, params byte[] bytes)
    {
        using var f = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        f.Position = offset;
        f.Write(bytes);
    }

    public void Dispose()
    {
        Store.Dispose();
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}
