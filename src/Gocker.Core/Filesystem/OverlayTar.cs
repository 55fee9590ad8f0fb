using System.Formats.Tar;

namespace Gocker.Core.Filesystem;

/// <summary>Writes the merged tree of an <see cref="OverlayView"/> as a tar: modes (setuid included),
/// owners by number, mtimes, symlinks, hard links (regular files that share an inode in one layer),
/// device nodes, fifos. Sockets are left out (tar cannot hold them). GNU format: long names and large
/// ids as GNU tar writes them; .NET's PAX writer would add an extended header to every entry. No user
/// or group names are looked up: that would go through NSS, which dlopens (see README, static glibc).</summary>
public static class OverlayTar
{
    public static void Write(OverlayView view, Stream output)
    {
        using var tar = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true);
        var links = new Dictionary<(ulong Dev, ulong Ino), string>();
        foreach (var node in view.Walk(view.Root))
        {
            var e = node.Entry;
            Stream? data = null;
            GnuTarEntry entry;
            switch (e.Type)
            {
                case EntryType.Directory:
                    entry = new GnuTarEntry(TarEntryType.Directory, node.Rel + "/");
                    break;
                case EntryType.Regular when e.Links > 1 && links.TryGetValue((e.Dev, e.Inode), out var first):
                    entry = new GnuTarEntry(TarEntryType.HardLink, node.Rel) { LinkName = first };
                    break;
                case EntryType.Regular:
                    if (e.Links > 1)
                        links[(e.Dev, e.Inode)] = node.Rel;
                    entry = new GnuTarEntry(TarEntryType.RegularFile, node.Rel);
                    // A running container may grow or shrink the file meanwhile: the header's size
                    // (lstat's) and the bytes written must agree, or the archive is corrupt.
                    data = new ExactLengthStream(view.OpenRead(node), e.Size);
                    entry.DataStream = data;
                    break;
                case EntryType.Symlink:
                    entry = new GnuTarEntry(TarEntryType.SymbolicLink, node.Rel) { LinkName = view.ReadLink(node) };
                    break;
                case EntryType.CharDevice or EntryType.BlockDevice:
                    entry = new GnuTarEntry(e.Type == EntryType.CharDevice ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice, node.Rel)
                    {
                        DeviceMajor = (int)e.DevMajor,
                        DeviceMinor = (int)e.DevMinor,
                    };
                    break;
                case EntryType.Fifo:
                    entry = new GnuTarEntry(TarEntryType.Fifo, node.Rel);
                    break;
                default:
                    continue;
            }
            entry.Mode = (UnixFileMode)e.Mode;
            entry.Uid = (int)e.Uid;
            entry.Gid = (int)e.Gid;
            entry.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(e.MtimeSeconds);
            using (data)
                tar.WriteEntry(entry);
        }
    }

    /// <summary>Exactly <c>length</c> bytes of the inner stream: cut, or padded with zeros. Seekable in
    /// name only (TarWriter takes the size from Length - Position of a seekable data stream; with an
    /// unseekable one it would need to seek back in the archive, and stdout cannot).</summary>
    private sealed class ExactLengthStream(Stream inner, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => Seek(value, SeekOrigin.Begin); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var want = (int)Math.Min(buffer.Length, length - _position);
            if (want <= 0)
                return 0;
            int n = inner.Read(buffer[..want]);
            if (n == 0)
            {
                buffer[..want].Clear();
                n = want;
            }
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin)
        {
            long target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => length + offset };
            if (target != _position)
                throw new NotSupportedException("this stream only reads forward");
            return _position;
        }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
