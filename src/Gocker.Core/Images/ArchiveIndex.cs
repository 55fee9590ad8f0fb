using System.Formats.Tar;

namespace Gocker.Core.Images;

/// <summary>The files of an image archive (a tar on disk): name → where its bytes are. One pass over
/// the headers; the layers are then read straight from the file, each once. Symlinks (docker save
/// links a layer that two images share) are followed inside the archive.</summary>
public sealed class ArchiveIndex : IDisposable
{
    private readonly FileStream _file;
    private readonly Dictionary<string, (long Offset, long Length, string? Link)> _entries = new(StringComparer.Ordinal);

    public ArchiveIndex(string path)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            using var reader = new TarReader(_file, leaveOpen: true);
            TarEntry? entry;
            while ((entry = reader.GetNextEntry()) is not null)
            {
                var name = LayerUnpacker.Normalize(entry.Name);
                if (name is null)
                    continue;
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    _entries[name] = (entry.DataOffset, entry.Length, null);
                else if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                    _entries[name] = (0, 0, entry.EntryType == TarEntryType.HardLink ? "/" + entry.LinkName : entry.LinkName);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            _file.Dispose();
            throw new GockerException($"invalid image archive: {(e is EndOfStreamException ? "the tar is truncated" : e.Message)}");
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => Find(name) is not null;

    /// <summary>The bytes of a file of the archive (a view of the archive file, never a copy).</summary>
    public Stream Open(string name)
    {
        var (offset, length) = Find(name) ?? throw new GockerException($"invalid image archive: {name} is missing from it");
        return new SliceStream(_file, offset, length);
    }

    public long LengthOf(string name) => Find(name)?.Length ?? 0;

    public byte[] ReadAll(string name, int limit = 64 << 20)
    {
        if (LengthOf(name) > limit)
            throw new GockerException($"invalid image archive: {name} is too large");
        using var s = Open(name);
        var bytes = new byte[LengthOf(name)];
        s.ReadExactly(bytes);
        return bytes;
    }

    private (long Offset, long Length)? Find(string name)
    {
        var current = LayerUnpacker.Normalize(name);
        for (int hops = 0; hops < 16 && current is not null; hops++)
        {
            if (!_entries.TryGetValue(current, out var e))
                return null;
            if (e.Link is null)
                return (e.Offset, e.Length);
            // A relative symlink is relative to its own directory; "/x" (hard links) from the top.
            var dir = current.Contains('/') ? current[..current.LastIndexOf('/')] : "";
            current = e.Link.StartsWith('/') ? LayerUnpacker.Normalize(e.Link) : LayerUnpacker.Normalize(ResolveDots($"{dir}/{e.Link}"));
        }
        return null;
    }

    private static string ResolveDots(string path)
    {
        var parts = new List<string>();
        foreach (var p in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".")
                continue;
            if (p == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(p);
        }
        return string.Join('/', parts);
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>A read-only window [offset, offset + length) of a file; positions itself before each read,
/// so several may share one FileStream as long as they are read one after another.</summary>
internal sealed class SliceStream(FileStream file, long offset, long length) : Stream
{
    private long _position;

    public override int Read(byte[] buffer, int o, int count) => Read(buffer.AsSpan(o, count));

    public override int Read(Span<byte> buffer)
    {
        long left = length - _position;
        if (left <= 0 || buffer.Length == 0)
            return 0;
        if (buffer.Length > left)
            buffer = buffer[..(int)left];
        file.Position = offset + _position;
        int n = file.Read(buffer);
        if (n == 0)
            throw new EndOfStreamException();
        _position += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long o, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int o, int count) => throw new NotSupportedException();
}
