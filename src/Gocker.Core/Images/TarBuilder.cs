using System.Text;

namespace Gocker.Core.Images;

/// <summary>Writes the outer tar of an image archive (save): ustar headers, each file's bytes
/// streamed from wherever they are (a layer is decompressed straight into the archive), sizes known
/// in advance. POSIX ustar is what every loader reads; names here are short ("&lt;hex&gt;/layer.tar",
/// "blobs/sha256/&lt;hex&gt;"), and sizes past 8 GiB use the base-256 extension GNU tar and Go read.</summary>
public sealed class TarBuilder(Stream output, long mtime)
{
    private const int Block = 512;
    private readonly byte[] _zeros = new byte[Block * 2];

    public void Directory(string name) => Header(name.TrimEnd('/') + "/", 0, (byte)'5', 0b111_101_101);

    public void File(string name, ReadOnlySpan<byte> content)
    {
        Header(name, content.Length, (byte)'0', 0b110_100_100);
        output.Write(content);
        Pad(content.Length);
    }

    /// <summary>A file whose <paramref name="length"/> bytes come from <paramref name="content"/>;
    /// fewer or more is an error (the header promised that many).</summary>
    public void File(string name, long length, Stream content, Action<long>? progress = null)
    {
        Header(name, length, (byte)'0', 0b110_100_100);
        var buffer = new byte[1 << 16];
        long done = 0;
        int n;
        while (done < length && (n = content.Read(buffer, 0, (int)Math.Min(buffer.Length, length - done))) > 0)
        {
            output.Write(buffer, 0, n);
            done += n;
            progress?.Invoke(n);
        }
        if (done != length || content.Read(buffer, 0, 1) > 0)
            throw new GockerException($"{name}: stored content is {(done != length ? "shorter" : "longer")} than recorded ({length} bytes); the image store is damaged");
        Pad(length);
    }

    public void Symlink(string name, string target) => Header(name, 0, (byte)'2', 0b111_111_111, target);

    public void Finish()
    {
        output.Write(_zeros);
        output.Flush();
    }

    private void Pad(long length)
    {
        int pad = (int)((Block - length % Block) % Block);
        output.Write(_zeros, 0, pad);
    }

    private void Header(string name, long size, byte type, int mode, string link = "")
    {
        Span<byte> h = stackalloc byte[Block];
        h.Clear();
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > 100)
        {
            // ustar's prefix field: the name split at a '/' into up to 155 + 100 bytes.
            int split = Array.LastIndexOf(nameBytes, (byte)'/', Math.Min(nameBytes.Length - 1, 155));
            if (split <= 0 || nameBytes.Length - split - 1 > 100)
                throw new GockerException($"archive entry name too long: {name}");
            nameBytes.AsSpan(0, split).CopyTo(h[345..]);
            nameBytes.AsSpan(split + 1).CopyTo(h);
        }
        else
        {
            nameBytes.CopyTo(h);
        }
        Octal(h.Slice(100, 8), mode);
        Octal(h.Slice(108, 8), 0);
        Octal(h.Slice(116, 8), 0);
        if (size < (1L << 33))
        {
            Octal(h.Slice(124, 12), size);
        }
        else
        {
            h[124] = 0x80;
            for (int i = 0; i < 8; i++)
                h[135 - i] = (byte)(size >> (8 * i));
        }
        Octal(h.Slice(136, 12), mtime);
        h[156] = type;
        Encoding.UTF8.GetBytes(link).CopyTo(h[157..]);
        "ustar\000"u8.CopyTo(h[257..]);
        h.Slice(148, 8).Fill((byte)' ');
        int sum = 0;
        foreach (var b in h)
            sum += b;
        Octal(h.Slice(148, 7), sum);
        h[155] = (byte)' ';
        output.Write(h);
    }

    /// <summary>Zero-padded octal digits, NUL-terminated.</summary>
    private static void Octal(Span<byte> field, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(digits).CopyTo(field);
        field[^1] = 0;
    }
}
