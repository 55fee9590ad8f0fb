using System.Text;

namespace Gocker.Core.Logs;

/// <summary>`gocker logs`: each record back on its own stream; --tail and --since count and filter
/// by line; -t puts the record's time before each line; -f follows the log (across rotations) until
/// the container is no longer running.</summary>
public sealed class LogWriter(string logPath, int maxFiles, Stream stdout, Stream stderr)
{
    private readonly record struct Line(LogStream Stream, long Time, ReadOnlyMemory<byte> Bytes);

    public void Write(LogsOptions o, Func<bool> running, CancellationToken cancel = default)
    {
        var lines = Lines(ContainerLogReader.ReadAll(logPath, maxFiles)).ToList();
        if (o.Since is { } since)
            lines = lines.Where(l => l.Time >= since.ToUnixTimeMilliseconds() * 1_000_000).ToList();
        if (o.Tail is { } tail && tail >= 0 && lines.Count > tail)
            lines = lines.GetRange(lines.Count - tail, tail);
        foreach (var line in lines)
            Emit(line, o.Timestamps);
        Flush();
        if (o.Follow)
            Follow(o, running, cancel);
    }

    private static IEnumerable<Line> Lines(IEnumerable<LogRecord> records)
    {
        foreach (var r in records)
        {
            var data = r.Data;
            while (data.Length > 0)
            {
                int nl = data.Span.IndexOf((byte)'\n');
                int len = nl < 0 ? data.Length : nl + 1;
                yield return new Line(r.Stream, r.TimeUnixNs, data[..len]);
                data = data[len..];
            }
        }
    }

    private void Emit(Line line, bool timestamps)
    {
        var target = line.Stream == LogStream.Stderr ? stderr : stdout;
        if (timestamps)
            target.Write(Encoding.ASCII.GetBytes(LogsTime.Rfc3339Nano(line.Time) + " "));
        target.Write(line.Bytes.Span);
    }

    private void Flush()
    {
        stdout.Flush();
        stderr.Flush();
    }

    /// <summary>Reads what is appended to the current file; when the monitor rotates (the path now
    /// names a new file), the old one is finished first, then the new one is read from its start.</summary>
    private void Follow(LogsOptions o, Func<bool> running, CancellationToken cancel)
    {
        FileStream? file = Open(out var inode);
        if (file is not null)
            file.Seek(0, SeekOrigin.End);
        var pending = new List<byte>();
        var buf = new byte[65536];
        bool lastPass = false;
        while (!cancel.IsCancellationRequested)
        {
            bool any = false;
            if (file is not null)
            {
                int n;
                while ((n = file.Read(buf)) > 0)
                {
                    pending.AddRange(buf.AsSpan(0, n));
                    any = true;
                }
                var records = new List<LogRecord>();
                int used = ContainerLogReader.Decode(pending.ToArray(), records);
                pending.RemoveRange(0, used);
                foreach (var line in Lines(records))
                    Emit(line, o.Timestamps);
                if (any)
                    Flush();
            }
            var current = InodeOf(logPath);
            if (current != inode)
            {
                file?.Dispose();
                file = Open(out inode);
                pending.Clear();
                continue;
            }
            if (lastPass)
                break;
            if (!running())
            {
                lastPass = true; // one more read: output written just before the exit
                continue;
            }
            if (!any)
                Thread.Sleep(50); // no event to wait on without inotify; a short poll is cheap here
        }
        file?.Dispose();
    }

    private FileStream? Open(out long inode)
    {
        inode = InodeOf(logPath);
        try { return new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); }
        catch (FileNotFoundException) { return null; }
    }

    private static long InodeOf(string path) => Interop.Libc.Inode(path);
}
