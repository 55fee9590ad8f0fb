using System.Buffers;
using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>
/// `ps`'s default table and <c>-q</c>, written directly as UTF-8 from a <see cref="PsRowBuffer"/>: byte for
/// byte what <see cref="PsTable"/> renders through the template engine and <see cref="TabWriter"/> for the
/// same rows, at a small fraction of the cost. No strings per row: every cell but the id and the name is
/// made once per distinct value (images, commands and ports per value of the buffer; CREATED and STATUS
/// per distinct time) and kept as bytes with its display width. Two passes: the first settles each row's
/// cells and the column widths (the table is one block of lines that all have every column, so
/// TabWriter's width is the widest cell, the header's too, plus the padding, at least the minimum width;
/// the last column is not padded), the second writes the lines through a 64 KiB buffer.
/// </summary>
public static class PsTableWriter
{
    private const int Columns = 7; // ID IMAGE COMMAND CREATED STATUS PORTS NAMES

    /// <summary>The output buffer: the size of the store's read buffer, which the pool hands back warm.</summary>
    private const int ChunkBytes = 64 * 1024;

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;
    private static readonly SearchValues<char> TabWriterSeparators = SearchValues.Create("\t\n\v\f");

    /// <summary>Whether <see cref="TryWrite"/> can render these options: the default table (<c>--format</c>
    /// unset, "" or "table") or <c>-q</c> (but not with "raw"), with or without <c>--no-trunc</c>, without
    /// <c>-s</c>. Anything else goes through <see cref="PsTable"/>.</summary>
    public static bool Supports(PsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !options.Size && (options.Quiet ? options.Format != "raw" : options.Format is null or "" or TemplateFormat.TableKey);
    }

    /// <summary>The id bytes a <see cref="PsRowBuffer"/> must keep for these options.</summary>
    public static int IdBytesFor(PsOptions options) => options.NoTrunc ? 32 : PsRowBuffer.TruncatedIdBytes;

    /// <summary>Writes what <see cref="PsTable.Write"/> would for the same rows and options (the buffer's
    /// rows in its order; see <see cref="PsRowBuffer.SortNewestFirst"/>). False, with nothing written,
    /// when the options are not <see cref="Supports">supported</see> or a cell holds one of TabWriter's
    /// separators (tab, newline, vertical tab, form feed), which only the general path reproduces.</summary>
    public static bool TryWrite(Stream output, PsRowBuffer rows, DateTimeOffset now, PsOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        if (!Supports(options))
            return false;
        bool trunc = !options.NoTrunc;
        if (!trunc && rows.IdBytes < 32)
            throw new ArgumentException("--no-trunc needs rows with whole ids", nameof(rows));
        if (options.Quiet)
        {
            WriteIds(output, rows, trunc);
            return true;
        }
        return new Table(rows, trunc, now).TryWrite(output);
    }

    private static void WriteIds(Stream output, PsRowBuffer rows, bool trunc)
    {
        int count = rows.Count;
        if (count == 0)
            return;
        var sink = new Sink(output);
        try
        {
            for (int i = 0; i < count; i++)
            {
                var id = rows.Id(i);
                int width = IdWidth(id.Length, trunc);
                var dest = sink.Take(width + 1);
                WriteHex(id, dest[..width]);
                dest[width] = (byte)'\n';
            }
            sink.Flush();
        }
        finally
        {
            sink.Return();
        }
    }

    /// <summary>docker/cli's TruncateID on the hex text: its first 12 characters.</summary>
    private static int IdWidth(int idBytes, bool trunc) => trunc ? Math.Min(12, idBytes * 2) : idBytes * 2;

    private static void WriteHex(ReadOnlySpan<byte> id, Span<byte> dest)
    {
        var hex = HexDigits;
        int j = 0;
        for (int i = 0; j + 1 < dest.Length; i++)
        {
            byte b = id[i];
            dest[j++] = hex[b >> 4];
            dest[j++] = hex[b & 15];
        }
        if (j < dest.Length)
            dest[j] = hex[id[j / 2] >> 4];
    }

    /// <summary>The cells a shape (<see cref="PsRowBuffer.Shape"/>) decides.</summary>
    private struct ShapeCells
    {
        public int Image, Command, Ports, Status;
        public bool Made;
        /// <summary>The shape's padded text before CREATED ("IMAGE   COMMAND   ") and after it
        /// ("STATUS   PORTS   "), as offsets into the table's segment bytes, once the widths are known.</summary>
        public int Before, BeforeLength, After, AfterLength;
    }

    private sealed class Table(PsRowBuffer rows, bool trunc, DateTimeOffset now)
    {
        private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

        private readonly Cells _image = new(), _command = new(), _ports = new(), _created = new(), _status = new(), _names = new();
        private readonly int[] _imageCell = NewMap(rows.Images.Count), _commandCell = NewMap(rows.Commands.Count), _portsCell = NewMap(rows.Ports.Count);
        private readonly ShapeCells[] _shapes = new ShapeCells[rows.Shapes.Count];
        private readonly Dictionary<long, int> _createdBySecond = [];
        private Dictionary<int, int>? _nameCells; // by position: names that are not printable ASCII
        private long _createdKey = long.MinValue;
        private int _createdCell = -1;
        private bool _unsupported;

        private static int[] NewMap(int values)
        {
            var map = new int[values];
            map.AsSpan().Fill(-1);
            return map;
        }

        public bool TryWrite(Stream output)
        {
            int count = rows.Count;
            int idWidth = 0;
            for (int i = 0; i < count; i++)
            {
                ref readonly var r = ref rows.At(i);
                idWidth = Math.Max(idWidth, IdWidth(r.IdLength, trunc));
                if (!_shapes[r.Shape].Made)
                    MakeShape(r.Shape);
                CreatedCell(r.Created);
                var name = TrimSlashes(rows.Name(in r));
                if (IsPrintableAscii(name))
                {
                    _names.Widen(name.Length);
                }
                else
                {
                    _nameCells ??= [];
                    _nameCells[i] = FromString(_names, Encoding.UTF8.GetString(rows.Name(in r)).TrimStart('/'));
                }
                if (_unsupported)
                    return false;
            }

            // Column widths, TabWriter's way: the widest cell (the header's too) plus padding, at least minwidth.
            Span<int> widths = stackalloc int[Columns - 1];
            widths[0] = Width(idWidth, "CONTAINER ID");
            widths[1] = Width(_image.MaxWidth, "IMAGE");
            widths[2] = Width(_command.MaxWidth, "COMMAND");
            widths[3] = Width(_created.MaxWidth, "CREATED");
            widths[4] = Width(_status.MaxWidth, "STATUS");
            widths[5] = Width(_ports.MaxWidth, "PORTS");
            int fixedBytes = 1; // the newline
            foreach (int w in widths)
                fixedBytes += w;

            var sink = new Sink(output);
            try
            {
                var line = sink.Take(fixedBytes + "NAMES".Length);
                int at = 0;
                at = Pad(line, at, "CONTAINER ID"u8, 12, widths[0]);
                at = Pad(line, at, "IMAGE"u8, 5, widths[1]);
                at = Pad(line, at, "COMMAND"u8, 7, widths[2]);
                at = Pad(line, at, "CREATED"u8, 7, widths[3]);
                at = Pad(line, at, "STATUS"u8, 6, widths[4]);
                at = Pad(line, at, "PORTS"u8, 5, widths[5]);
                "NAMES"u8.CopyTo(line[at..]);
                line[^1] = (byte)'\n';

                // Each shape's text around CREATED, and each CREATED cell, padded once.
                var segments = new SegmentBuilder();
                for (int k = 0; k < _shapes.Length; k++)
                {
                    ref var c = ref _shapes[k];
                    if (!c.Made)
                        continue;
                    c.Before = segments.Start();
                    segments.Pad(_image, c.Image, widths[1]);
                    segments.Pad(_command, c.Command, widths[2]);
                    c.BeforeLength = segments.End(c.Before);
                    c.After = segments.Start();
                    segments.Pad(_status, c.Status, widths[4]);
                    segments.Pad(_ports, c.Ports, widths[5]);
                    c.AfterLength = segments.End(c.After);
                }
                var createdAt = new int[_created.Count];
                for (int k = 0; k < createdAt.Length; k++)
                {
                    createdAt[k] = segments.Start();
                    segments.Pad(_created, k, widths[3]);
                }
                int createdLength = widths[3];
                var text = segments.Bytes;
                int idPad = widths[0];

                for (int i = 0; i < count; i++)
                {
                    ref readonly var r = ref rows.At(i);
                    ref readonly var c = ref _shapes[r.Shape];
                    int created = CreatedCell(r.Created);
                    var name = _nameCells is not null && _nameCells.TryGetValue(i, out int nameCell)
                        ? _names.Bytes(nameCell)
                        : TrimSlashes(rows.Name(in r));
                    int createdBytes = createdLength + _created.Extra(created);
                    line = sink.Take(idPad + c.BeforeLength + createdBytes + c.AfterLength + name.Length + 1);
                    int w = IdWidth(r.IdLength, trunc);
                    WriteHex(rows.Id(i), line[..w]);
                    line[w..idPad].Fill((byte)' ');
                    at = idPad;
                    text.AsSpan(c.Before, c.BeforeLength).CopyTo(line[at..]);
                    at += c.BeforeLength;
                    text.AsSpan(createdAt[created], createdBytes).CopyTo(line[at..]);
                    at += createdBytes;
                    text.AsSpan(c.After, c.AfterLength).CopyTo(line[at..]);
                    at += c.AfterLength;
                    name.CopyTo(line[at..]);
                    line[^1] = (byte)'\n';
                }
                sink.Flush();
            }
            finally
            {
                sink.Return();
            }
            return true;
        }

        private static int Width(int widest, string header) =>
            Math.Max(TabWriter.DockerMinWidth, Math.Max(widest, header.Length) + TabWriter.DockerPadding);

        private static int Pad(Span<byte> line, int at, ReadOnlySpan<byte> text, int textWidth, int width)
        {
            text.CopyTo(line[at..]);
            int end = at + text.Length + width - textWidth;
            line[(at + text.Length)..end].Fill((byte)' ');
            return end;
        }

        private enum CellKind { Image, Command, Ports }

        private void MakeShape(int shape)
        {
            ref readonly var s = ref rows.Shapes[shape];
            ref var c = ref _shapes[shape];
            c.Image = ValueCell(_imageCell, _image, rows.Images, s.Image, CellKind.Image);
            c.Command = ValueCell(_commandCell, _command, rows.Commands, s.Command, CellKind.Command);
            c.Ports = ValueCell(_portsCell, _ports, rows.Ports, s.Ports, CellKind.Ports);
            Span<byte> text = stackalloc byte[ContainerStatus.MaxUtf8Length];
            int n = ContainerStatus.StatusUtf8((ContainerState)s.State, s.ExitCode, Time(s.Started), Time(s.Finished), now, text);
            c.Status = _status.Add(text[..n], n);
            c.Made = true;
        }

        /// <summary>The cell of one of a column's distinct values, made the first time a row shows it.</summary>
        private int ValueCell(int[] map, Cells column, PsRowBuffer.RawValues values, int value, CellKind kind)
        {
            if (map[value] >= 0)
                return map[value];
            var s = Encoding.UTF8.GetString(values[value]);
            s = kind switch
            {
                CellKind.Image => PsFields.Image(s, trunc),
                CellKind.Command => GoText.Quote(trunc ? DisplayWidth.Ellipsis(s, 20) : s),
                _ => s,
            };
            return map[value] = FromString(column, s);
        }

        private int FromString(Cells column, string s)
        {
            if (s.AsSpan().IndexOfAny(TabWriterSeparators) >= 0)
                _unsupported = true;
            return column.Add(Encoding.UTF8.GetBytes(s), DisplayWidth.Of(s));
        }

        private static DateTimeOffset? Time(long unixTicks) =>
            unixTicks == PsRowBuffer.NoTime ? null : new DateTimeOffset(UnixEpochTicks + unixTicks, TimeSpan.Zero);

        /// <summary>CREATED, from the API's whole seconds as PsFields's RunningFor.</summary>
        private int CreatedCell(long created)
        {
            long seconds = Math.DivRem(created, TimeSpan.TicksPerSecond, out long rest);
            if (rest < 0)
                seconds--;
            if (seconds == _createdKey)
                return _createdCell;
            _createdKey = seconds;
            if (_createdBySecond.TryGetValue(seconds, out _createdCell))
                return _createdCell;
            Span<byte> text = stackalloc byte[HumanDuration.MaxUtf8Length + 4];
            int n = HumanDuration.FormatUtf8(now - DateTimeOffset.FromUnixTimeSeconds(seconds), text);
            " ago"u8.CopyTo(text[n..]);
            n += 4;
            _createdCell = _created.Add(text[..n], n);
            _createdBySecond[seconds] = _createdCell;
            return _createdCell;
        }
    }

    private static ReadOnlySpan<byte> TrimSlashes(ReadOnlySpan<byte> name)
    {
        int i = 0;
        while (i < name.Length && name[i] == '/')
            i++;
        return name[i..];
    }

    /// <summary>0x20–0x7e only: one column per byte, the same bytes after decoding and encoding, and
    /// none of TabWriter's separators.</summary>
    private static bool IsPrintableAscii(ReadOnlySpan<byte> s) => s.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) < 0;

    /// <summary>The distinct cells of one column: UTF-8 bytes and display width, interned (a value equal
    /// to one of the last few added gets that one's index).</summary>
    private sealed class Cells
    {
        private const int Recent = 8;
        private byte[] _bytes = new byte[256];
        private int _used;
        private (int Offset, int Length, int Width)[] _cells = new (int, int, int)[8];
        private int _count;

        public int MaxWidth { get; private set; }

        public ReadOnlySpan<byte> Bytes(int cell)
        {
            var (offset, length, _) = _cells[cell];
            return _bytes.AsSpan(offset, length);
        }

        public int Width(int cell) => _cells[cell].Width;

        public int Count => _count;

        /// <summary>Bytes written beyond the cell's width (0 for ASCII).</summary>
        public int Extra(int cell) => _cells[cell].Length - _cells[cell].Width;

        /// <summary>Counts a cell kept elsewhere in the column's width.</summary>
        public void Widen(int width) => MaxWidth = Math.Max(MaxWidth, width);

        public int Add(ReadOnlySpan<byte> utf8, int width)
        {
            for (int i = _count - 1; i >= 0 && i >= _count - Recent; i--)
                if (_cells[i].Width == width && Bytes(i).SequenceEqual(utf8))
                    return i;
            if (_used + utf8.Length > _bytes.Length)
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + utf8.Length));
            if (_count == _cells.Length)
                Array.Resize(ref _cells, _count * 2);
            utf8.CopyTo(_bytes.AsSpan(_used));
            _cells[_count] = (_used, utf8.Length, width);
            _used += utf8.Length;
            Widen(width);
            return _count++;
        }
    }

    /// <summary>Padded cells laid end to end.</summary>
    private sealed class SegmentBuilder
    {
        public byte[] Bytes { get; private set; } = new byte[1024];
        private int _used;

        public int Start() => _used;

        public int End(int start) => _used - start;

        /// <summary>A cell and the spaces that pad it to <paramref name="width"/> columns.</summary>
        public void Pad(Cells column, int cell, int width)
        {
            var text = column.Bytes(cell);
            int bytes = text.Length + width - column.Width(cell);
            if (_used + bytes > Bytes.Length)
            {
                var grown = new byte[Math.Max(Bytes.Length * 2, _used + bytes)];
                Bytes.AsSpan(0, _used).CopyTo(grown);
                Bytes = grown;
            }
            text.CopyTo(Bytes.AsSpan(_used));
            Bytes.AsSpan(_used + text.Length, bytes - text.Length).Fill((byte)' ');
            _used += bytes;
        }
    }

    /// <summary>A buffer that goes to the stream whenever the next line does not fit.</summary>
    private struct Sink(Stream output)
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        private int _used;

        public Span<byte> Take(int bytes)
        {
            if (_used + bytes > _buffer.Length)
            {
                Flush();
                if (bytes > _buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = ArrayPool<byte>.Shared.Rent(bytes);
                }
            }
            var span = _buffer.AsSpan(_used, bytes);
            _used += bytes;
            return span;
        }

        public void Flush()
        {
            if (_used > 0)
                output.Write(_buffer, 0, _used);
            _used = 0;
        }

        public void Return() => ArrayPool<byte>.Shared.Return(_buffer);
    }
}
