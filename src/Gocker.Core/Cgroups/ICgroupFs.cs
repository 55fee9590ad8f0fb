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

    // One lstat: what File.Exists || Directory.Exists answered with up to three stat calls.
    public bool Exists(string path) => Interop.Libc.LstatExists(path);

    public string Read(string path) => ReadText(path);

    /// <summary>File.ReadAllText for the small files of /proc and /sys (whose size reads as 0): read into
    /// a stack buffer, growing only when it fills. ReadAllText allocates a FileStream buffer, a
    /// StreamReader and its buffers, about 10 KiB per file, and a short-lived gocker process never
    /// collects: every such KiB is a fresh page to fault in. Throws what ReadAllText throws.</summary>
    internal static string ReadText(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> buffer = stackalloc byte[4096];
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                var bigger = new byte[buffer.Length * 2];
                buffer.CopyTo(bigger);
                buffer = bigger;
            }
            int n = RandomAccess.Read(handle, buffer[total..], total);
            if (n == 0)
                return System.Text.Encoding.UTF8.GetString(buffer[..total]);
            total += n;
        }
    }

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
