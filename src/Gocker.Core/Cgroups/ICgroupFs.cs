namespace Gocker.Core.Cgroups;

/// <summary>The few filesystem operations the cgroup code needs, so tests can run on a fake tree.</summary>
public interface ICgroupFs
{
    /// <summary>A file or directory exists.</summary>
    bool Exists(string path);
    string Read(string path);
    /// <summary>Writes to an existing file (never creates one: cgroup control files are made by the kernel).</summary>
    void Write(string path, string value);
    /// <summary>mkdir; no error if it exists.</summary>
    void CreateDirectory(string path);
    /// <summary>rmdir (not recursive: a cgroup directory is removed with its control files by one rmdir).</summary>
    void RemoveDirectory(string path);
}

/// <summary>The real filesystem.</summary>
public sealed class CgroupFs : ICgroupFs
{
    public static readonly CgroupFs Instance = new();

    public bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    public string Read(string path) => File.ReadAllText(path);

    public void Write(string path, string value)
    {
        // One write(2) of the whole value, on the existing file, no O_CREAT.
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        var bytes = System.Text.Encoding.ASCII.GetBytes(value);
        f.Write(bytes, 0, bytes.Length);
    }

    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    public void RemoveDirectory(string path) => Directory.Delete(path, recursive: false);
}
