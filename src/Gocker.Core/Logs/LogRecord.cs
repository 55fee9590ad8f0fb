namespace Gocker.Core.Logs;

public enum LogStream : byte { Stdout = 1, Stderr = 2 }

/// <summary>One chunk of container output as the monitor wrote it (native/containerlog.h): a 16-byte
/// header (u8 stream, 3 zero bytes, u32 length, i64 unix ns, little-endian), then the bytes.</summary>
public readonly record struct LogRecord(LogStream Stream, long TimeUnixNs, ReadOnlyMemory<byte> Data)
{
    public const int HeaderSize = 16;

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeUnixNs / 1_000_000)
        .AddTicks(TimeUnixNs % 1_000_000 / 100);
}
