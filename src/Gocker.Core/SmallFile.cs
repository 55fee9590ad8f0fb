namespace Gocker.Core;

internal static class SmallFile
{
    /// <summary>File.ReadAllText for small files such as those of /proc and /sys (whose size reads as 0):
    /// read into a stack buffer, growing only when it fills. ReadAllText allocates a FileStream buffer, a
    /// StreamReader and its buffers, about 10 KiB per file, and a short-lived gocker process never
    /// collects: every such KiB is a fresh page to fault in. UTF-8, a byte order mark dropped (as
    /// ReadAllText does); throws what ReadAllText throws.</summary>
    public static string ReadAllText(string path)
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
            {
                var text = buffer[..total];
                return System.Text.Encoding.UTF8.GetString(text.StartsWith("\uFEFF"u8) ? text[3..] : text);
            }
            total += n;
        }
    }

    /// <summary>File.WriteAllText's file (created or truncated, 0666 less the umask, UTF-8 without a
    /// byte order mark) in one write, without a FileStream and a StreamWriter (and their buffers).</summary>
    public static void WriteAllText(string path, string text)
    {
        int max = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> bytes = max <= 2048 ? stackalloc byte[2048] : new byte[max];
        WriteAllBytes(path, bytes[..System.Text.Encoding.UTF8.GetBytes(text, bytes)]);
    }

    /// <summary><see cref="WriteAllText"/> into the file's own inode and blocks: written from the start,
    /// then cut to its length, never truncated first (freeing a block and allocating one again costs
    /// a discard on a disk mounted with online discard). A missing file is created (0666 less the
    /// umask); an existing one keeps its mode.</summary>
    public static void Overwrite(string path, string text)
    {
        int max = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> bytes = max <= 2048 ? stackalloc byte[2048] : new byte[max];
        Overwrite(path, bytes[..System.Text.Encoding.UTF8.GetBytes(text, bytes)]);
    }

    /// <inheritdoc cref="Overwrite(string, string)"/>
    public static void Overwrite(string path, ReadOnlySpan<byte> bytes)
    {
        using var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        RandomAccess.Write(handle, bytes, 0);
        RandomAccess.SetLength(handle, bytes.Length);
    }

    /// <summary>File.WriteAllBytes in one write (and no FileStream).</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        RandomAccess.Write(handle, bytes, 0);
    }
}
