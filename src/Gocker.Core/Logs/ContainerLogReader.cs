using System.Buffers.Binary;

namespace Gocker.Core.Logs;

/// <summary>Reads a container log and its rotated files (LOG.N ... LOG.1, LOG: oldest first).</summary>
public static class ContainerLogReader
{
    public static IEnumerable<string> FilesOldestFirst(string logPath, int maxFiles)
    {
        for (int i = maxFiles - 1; i >= 1; i--)
            if (File.Exists($"{logPath}.{i}"))
                yield return $"{logPath}.{i}";
        if (File.Exists(logPath))
            yield return logPath;
    }

    /// <summary>Decodes whole records from <paramref name="buffer"/>; returns how many bytes it consumed
    /// (a short record at the end is the writer's next one, or the remains of a crash).</summary>
    public static int Decode(ReadOnlyMemory<byte> buffer, List<LogRecord> into)
    {
        int pos = 0;
        var span = buffer.Span;
        while (span.Length - pos >= LogRecord.HeaderSize)
        {
            var header = span.Slice(pos, LogRecord.HeaderSize);
            var stream = (LogStream)header[0];
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            long time = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
            if (stream is not (LogStream.Stdout or LogStream.Stderr) || length < 0)
                throw new InvalidDataException("container log is damaged");
            if (span.Length - pos - LogRecord.HeaderSize < length)
                break;
            into.Add(new LogRecord(stream, time, buffer.Slice(pos + LogRecord.HeaderSize, length)));
            pos += LogRecord.HeaderSize + length;
        }
        return pos;
    }

    public static List<LogRecord> ReadAll(string logPath, int maxFiles)
    {
        var records = new List<LogRecord>();
        foreach (var file in FilesOldestFirst(logPath, maxFiles))
        {
            byte[] bytes;
            try { bytes = File.ReadAllBytes(file); }
            catch (FileNotFoundException) { continue; } // rotated away while we listed
            Decode(bytes, records);
        }
        return records;
    }
}
