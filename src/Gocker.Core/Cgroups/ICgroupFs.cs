namespace Gocker.Core.Cgroups;

/// <summary>The few filesystem operations the cgroup code needs, so tests can run on a fake tree.</summary>
public interface ICgroupFs
{
    /// <summary>A file or directory exists.</summary>
    bool Exists(string path);
    string Read(string path);
    /// <summary>Writes to an existing file (never creates one: cgroup control files are made by the kernel).</summary>
    void Write(string path, string value);
    /// <summary>Writes each value with its own write(2), as a file such as devices.allow takes one rule
    /// per write, on one open of the file.</summary>
    void WriteEach(string path, IReadOnlyList<string> values)
    {
        foreach (var v in values)
            Write(path, v);
    }
    /// <summary>mkdir; no error if it exists.</summary>
    void CreateDirectory(string path);
    /// <summary>rmdir (not recursive: a cgroup directory is removed with its control files by one rmdir).</summary>
    void RemoveDirectory(string path);
}

/// <summary>The real filesystem.</summary>
public sealed class CgroupFs : ICgroupFs
{
    public static readonly CgroupFs Instance = new();

    // One lstat: what File.Exists || Directory.Exists answered with up to three stat calls.
    public bool Exists(string path) => Interop.Libc.LstatExists(path);

    public string Read(string path) => SmallFile.ReadAllText(path);

    public void Write(string path, string value)
    {
        // One write(2) of the whole value, on the existing file, no O_CREAT; no FileStream around it.
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        RandomAccess.Write(handle, System.Text.Encoding.ASCII.GetBytes(value), 0);
    }

    public void WriteEach(string path, IReadOnlyList<string> values)
    {
        // One open for all: each open of a control file here is an open, an fstat and two flocks.
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        foreach (var v in values)
            RandomAccess.Write(handle, System.Text.Encoding.ASCII.GetBytes(v), 0);
    }

    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    public void RemoveDirectory(string path) => Directory.Delete(path, recursive: false);
}
