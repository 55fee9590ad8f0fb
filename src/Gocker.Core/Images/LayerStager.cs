using System.IO.Compression;

namespace Gocker.Core.Images;

/// <summary>
/// Reads one layer (a tar, plain or gzip) exactly once: it is unpacked into a staging directory, its
/// diff id (sha256 of the uncompressed tar) computed on the way, and the bytes it came as kept beside
/// it as its blob (the plain tar, or the original gzip), so that `save` can write the very same tar
/// again, and an OCI save the very same blob. The expected digests, when the archive gave
/// them, are checked at the end; a mismatch fails and the staging area goes with the caller's.
/// </summary>
public static class LayerStager
{
    public static StagedLayer Stage(Stream source, string dir, string? expectedDiffId = null,
        string? expectedBlobDigest = null, Action<long>? progress = null, IWhiteoutWriter? whiteouts = null)
    {
        try
        {
            return StageChecked(source, dir, expectedDiffId, expectedBlobDigest, progress, whiteouts);
        }
        catch (InvalidDataException e)
        {
            throw new GockerException($"invalid layer: {e.Message}");
        }
        catch (EndOfStreamException)
        {
            throw new GockerException("invalid layer: the tar is truncated");
        }
        catch (FormatException e)
        {
            throw new GockerException($"invalid layer: {e.Message}");
        }
    }

    private static StagedLayer StageChecked(Stream source, string dir, string? expectedDiffId,
        string? expectedBlobDigest, Action<long>? progress, IWhiteoutWriter? whiteouts)
    {
        Directory.CreateDirectory($"{dir}/diff");
        using var blob = new FileStream($"{dir}/blob", FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var raw = new DigestStream(source, progress: progress);
        var magic = new byte[6];
        int got = raw.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        var head = magic.AsSpan(0, got);
        var format = Compressions.Detect(head);
        if (format is not (Compression.None or Compression.Gzip))
            throw new GockerException($"unsupported layer compression {format.ToString().ToLowerInvariant()} (plain and gzip tars are)");
        var input = new PrefixedStream(magic[..got], raw);

        long size;
        string diffId;
        string blobDigest;
        long tarSize;
        if (format == Compression.Gzip)
        {
            // Keep the compressed bytes as they come: they are the blob, with the digest the archive gave.
            blob.Write(head);
            raw.Tee = blob;
            using var gunzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
            using var tar = new DigestStream(gunzip);
            size = Unpack(tar, dir, whiteouts);
            tar.Drain();
            raw.Drain();
            (diffId, tarSize) = (tar.Digest(), tar.Count);
            blobDigest = raw.Digest();
        }
        else
        {
            // A plain tar is kept as it is: compressing it here cost more time than the rest of the
            // import together (zlib level 1: ~50 MB/s on incompressible data, against ~280 MB/s for
            // the hash), for disk space that a later tar-split-like format would save better.
            using var tar = new DigestStream(input, tee: blob);
            size = Unpack(tar, dir, whiteouts);
            tar.Drain();
            (diffId, tarSize) = (tar.Digest(), tar.Count);
            blobDigest = diffId;
        }
        if (expectedDiffId is not null && expectedDiffId != diffId)
            throw new GockerException($"layer digest mismatch: expected {expectedDiffId}, the layer's content is {diffId}");
        if (expectedBlobDigest is not null && format == Compression.Gzip && expectedBlobDigest != blobDigest)
            throw new GockerException($"blob digest mismatch: expected {expectedBlobDigest}, got {blobDigest}");
        // No fsync: the unpacked files are not synced either; staging and rename protect against an
        // interrupted gocker, not against a power cut (as Docker, which syncs neither).
        blob.Flush();
        return new StagedLayer(diffId, dir, new LayerInfo
        {
            Size = size,
            TarSize = tarSize,
            BlobDigest = blobDigest,
            BlobSize = new FileInfo($"{dir}/blob").Length,
            BlobMediaType = format == Compression.Gzip ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer,
        });
    }

    private static long Unpack(Stream tar, string dir, IWhiteoutWriter? whiteouts) =>
        LayerUnpacker.Unpack(tar, $"{dir}/diff", whiteouts);
}

public enum Compression { None, Gzip, Bzip2, Xz, Zstd }

public static class Compressions
{
    /// <summary>By the magic numbers at the start of a stream.</summary>
    public static Compression Detect(ReadOnlySpan<byte> head) => head switch
    {
        [0x1f, 0x8b, ..] => Compression.Gzip,
        [(byte)'B', (byte)'Z', (byte)'h', ..] => Compression.Bzip2,
        [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => Compression.Xz,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression.Zstd,
        _ => Compression.None,
    };
}

/// <summary>Bytes already read (to sniff a format) followed by the rest of the stream.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
{
    private int _used;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_used < prefix.Length)
        {
            int n = Math.Min(buffer.Length, prefix.Length - _used);
            prefix.AsSpan(_used, n).CopyTo(buffer);
            _used += n;
            return n;
        }
        return rest.Read(buffer);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
