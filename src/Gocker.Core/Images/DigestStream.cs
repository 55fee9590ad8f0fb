namespace Gocker.Core.Images;

/// <summary>A pass-through stream that hashes (SHA-256) and counts every byte read from, or written
/// to, the inner stream; optionally copies what is read into a second stream (the layer blob kept
/// beside an unpacked layer) and reports progress.</summary>
public sealed class DigestStream(Stream inner, Stream? tee = null, Action<long>? progress = null, bool leaveOpen = true) : Stream
{
    private readonly Sha256 _sha = new();

    /// <summary>Where every byte seen is copied as well (null: nowhere).</summary>
    public Stream? Tee { get; set; } = tee;

    /// <summary>Bytes seen so far.</summary>
    public long Count { get; private set; }

    /// <summary>"sha256:hex" of everything seen; call once, at the end.</summary>
    public string Digest() => _sha.GetDigestAndReset();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        Seen(buffer[..n]);
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Seen(buffer);
    }

    private void Seen(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
            return;
        _sha.Append(bytes);
        Tee?.Write(bytes);
        Count += bytes.Length;
        progress?.Invoke(Count);
    }

    /// <summary>Reads what is left (a tar's end-of-archive blocks and padding count in its digest).</summary>
    public void Drain()
    {
        var buffer = new byte[81920];
        while (Read(buffer) > 0) { }
    }

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Count; set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
