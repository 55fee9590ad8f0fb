using System.Runtime.InteropServices;
using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>
/// The rows of a `ps` listing for <see cref="PsTableWriter"/>: compact copies of what the default table and
/// <c>-q</c> show (no strings, nothing per row on the heap), so that a listing of many containers touches
/// as little memory as possible. Images, commands and ports are kept once per distinct value (the same
/// values repeat from row to row). Rows keep the order they were added in until
/// <see cref="SortNewestFirst"/>; <see cref="Limit"/> keeps the first n.
/// </summary>
public sealed class PsRowBuffer
{
    /// <summary>Id bytes that the truncated id (12 hex characters) needs.</summary>
    public const int TruncatedIdBytes = 6;

    /// <summary>Ticks (100 ns) from 0001-01-01 to the Unix epoch.</summary>
    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    /// <summary>No time (a null <see cref="ContainerView.Started"/> or <see cref="ContainerView.Finished"/>).</summary>
    internal const long NoTime = long.MinValue;

    private readonly int _idBytes;
    private Row[] _rows;
    private byte[] _ids;
    private byte[] _names;
    private int _namesUsed;
    private int _count;
    private int[]? _order;
    private int _shown = -1;

    /// <param name="capacity">Rows expected (more are allowed); memory is only touched as rows arrive.</param>
    /// <param name="idBytes">Leading id bytes kept: 32 for <c>--no-trunc</c>, <see cref="TruncatedIdBytes"/>
    /// for the truncated id.</param>
    public PsRowBuffer(int capacity, int idBytes = 32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(idBytes);
        capacity = Math.Max(capacity, 4);
        _idBytes = idBytes;
        _rows = GC.AllocateUninitializedArray<Row>(capacity);
        _ids = GC.AllocateUninitializedArray<byte>(capacity * idBytes);
        _names = GC.AllocateUninitializedArray<byte>(capacity * 24);
    }

    /// <summary>Rows to show: all added, or the first <see cref="Limit"/>.</summary>
    public int Count => _shown >= 0 ? Math.Min(_shown, _count) : _count;

    /// <summary>The id bytes kept per row (see the constructor).</summary>
    public int IdBytes => _idBytes;

    internal RawValues Images { get; } = new();
    internal RawValues Commands { get; } = new();
    internal RawValues Ports { get; } = new();
    internal ShapeTable Shapes { get; } = new();

    /// <summary>Adds a row. Strings are UTF-8 bytes, times ticks (100 ns) since the Unix epoch
    /// (<paramref name="started"/> and <paramref name="finished"/> null: none), as in <see cref="ContainerView"/>.</summary>
    public void Add(ReadOnlySpan<byte> id, ReadOnlySpan<byte> name, ReadOnlySpan<byte> image, ReadOnlySpan<byte> command,
        ReadOnlySpan<byte> ports, ContainerState state, int exitCode, long created, long? started, long? finished)
    {
        if (name.Length > byte.MaxValue)
            throw new ArgumentException("a name of at most 255 bytes", nameof(name));
        if (_count == _rows.Length)
            Grow();
        if (_namesUsed + name.Length > _names.Length)
            Array.Resize(ref _names, Math.Max(_names.Length * 2, _namesUsed + name.Length));
        int idLength = Math.Min(id.Length, _idBytes);
        id[..idLength].CopyTo(_ids.AsSpan(_count * _idBytes));
        name.CopyTo(_names.AsSpan(_namesUsed));
        var shape = new Shape
        {
            Image = Images.Intern(image),
            Command = Commands.Intern(command),
            Ports = Ports.Intern(ports),
            State = (byte)state,
            ExitCode = exitCode,
            Started = started ?? NoTime,
            Finished = finished ?? NoTime,
        };
        _rows[_count] = new Row
        {
            Created = created,
            NameOffset = _namesUsed,
            Shape = Shapes.Intern(in shape),
            NameLength = (byte)name.Length,
            IdLength = (byte)idLength,
        };
        _namesUsed += name.Length;
        _count++;
        _order = null;
    }

    /// <summary>Adds <paramref name="v"/> (its id must be lowercase hex, as container ids are).</summary>
    public void Add(ContainerView v)
    {
        ArgumentNullException.ThrowIfNull(v);
        Add(Convert.FromHexString(v.Id), Encoding.UTF8.GetBytes(v.Name), Encoding.UTF8.GetBytes(v.Image),
            Encoding.UTF8.GetBytes(v.Command), Encoding.UTF8.GetBytes(v.Ports), v.State, v.ExitCode,
            v.Created.UtcTicks - UnixEpochTicks, v.Started?.UtcTicks - UnixEpochTicks, v.Finished?.UtcTicks - UnixEpochTicks);
    }

    /// <summary>Newest first, as `ps` lists (a stable sort: rows created at the same tick keep the order
    /// they were added in). Insertion sort on the usual input (added oldest first, or nearly so), else
    /// a general sort.</summary>
    public void SortNewestFirst()
    {
        int n = _count;
        var order = GC.AllocateUninitializedArray<int>(n);
        for (int k = 0; k < n; k++)
            order[k] = n - 1 - k; // added oldest first: reversed, it is (nearly) sorted already
        var rows = _rows;
        long budget = 16L * n + 64;
        int i = 1;
        for (; i < n && budget > 0; i++)
        {
            int item = order[i];
            long created = rows[item].Created;
            int j = i - 1;
            while (j >= 0 && Before(created, item, rows[order[j]].Created, order[j]))
            {
                order[j + 1] = order[j];
                j--;
                budget--;
            }
            order[j + 1] = item;
        }
        if (i < n)
        {
            var keys = GC.AllocateUninitializedArray<long>(n);
            for (int k = 0; k < n; k++)
                keys[k] = -rows[order[k]].Created;
            Array.Sort(keys, order);
            for (int start = 0; start < n;)
            {
                int end = start + 1;
                while (end < n && keys[end] == keys[start])
                    end++;
                if (end - start > 1)
                    order.AsSpan(start, end - start).Sort();
                start = end;
            }
        }
        _order = order;
    }

    /// <summary>Row a goes before row b: newer, or as new and added earlier.</summary>
    private static bool Before(long createdA, int a, long createdB, int b) => createdA > createdB || (createdA == createdB && a < b);

    /// <summary>Shows only the first <paramref name="n"/> rows (all if fewer; none if n &lt;= 0).</summary>
    public void Limit(int n) => _shown = Math.Max(n, 0);

    /// <summary>The row shown at <paramref name="position"/>.</summary>
    internal ref readonly Row At(int position) => ref _rows[_order is null ? position : _order[position]];

    internal ReadOnlySpan<byte> Id(int position)
    {
        int index = _order is null ? position : _order[position];
        return _ids.AsSpan(index * _idBytes, _rows[index].IdLength);
    }

    internal ReadOnlySpan<byte> Name(in Row row) => _names.AsSpan(row.NameOffset, row.NameLength);

    private void Grow()
    {
        int capacity = _rows.Length * 2;
        var rows = GC.AllocateUninitializedArray<Row>(capacity);
        _rows.AsSpan(0, _count).CopyTo(rows);
        _rows = rows;
        var ids = GC.AllocateUninitializedArray<byte>(capacity * _idBytes);
        _ids.AsSpan(0, _count * _idBytes).CopyTo(ids);
        _ids = ids;
    }

    /// <summary>18 bytes a row: what differs from container to container; the rest is its shape.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    internal struct Row
    {
        public long Created;                    // ticks since the Unix epoch
        public int NameOffset;
        public int Shape;                       // index into Shapes
        public byte NameLength, IdLength;
    }

    /// <summary>A row but its id, name and creation time: few distinct ones in a listing (containers
    /// made alike and never started share one).</summary>
    internal struct Shape
    {
        public long Started, Finished;          // ticks since the Unix epoch; NoTime: none
        public int Image, Command, Ports;       // indices into Images, Commands, Ports
        public int ExitCode;
        public byte State;

        public readonly bool Same(in Shape o) =>
            Image == o.Image && Command == o.Command && Ports == o.Ports && State == o.State
            && ExitCode == o.ExitCode && Started == o.Started && Finished == o.Finished;
    }

    /// <summary>The distinct shapes, numbered in order of first appearance (one equal to one of the last
    /// few gets that one's number).</summary>
    internal sealed class ShapeTable
    {
        private Shape[] _shapes = new Shape[8];
        private int _last = -1, _previous = -1;

        public int Count { get; private set; }

        public ref readonly Shape this[int shape] => ref _shapes[shape];

        public int Intern(in Shape s)
        {
            if (_last >= 0 && _shapes[_last].Same(in s))
                return _last;
            if (_previous >= 0 && _shapes[_previous].Same(in s))
            {
                (_last, _previous) = (_previous, _last);
                return _last;
            }
            if (Count == _shapes.Length)
                Array.Resize(ref _shapes, Count * 2);
            _shapes[Count] = s;
            _previous = _last;
            _last = Count;
            return Count++;
        }
    }

    /// <summary>Distinct byte strings of one column, numbered in order of first appearance (a value equal
    /// to one of the last few gets that one's number; others may be stored twice, which is harmless).</summary>
    internal sealed class RawValues
    {
        private const int Recent = 4;
        private byte[] _bytes = new byte[256];
        private int _used;
        private (int Offset, int Length)[] _values = new (int, int)[8];
        private readonly int[] _recent = [-1, -1, -1, -1];
        private int _next;

        public int Count { get; private set; }

        public ReadOnlySpan<byte> this[int value] => _bytes.AsSpan(_values[value].Offset, _values[value].Length);

        public int Intern(ReadOnlySpan<byte> raw)
        {
            for (int k = 1; k <= Recent; k++)
            {
                int v = _recent[(_next - k + Recent) % Recent];
                if (v >= 0 && raw.SequenceEqual(this[v]))
                    return v;
            }
            if (_used + raw.Length > _bytes.Length)
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + raw.Length));
            if (Count == _values.Length)
                Array.Resize(ref _values, Count * 2);
            raw.CopyTo(_bytes.AsSpan(_used));
            _values[Count] = (_used, raw.Length);
            _used += raw.Length;
            _recent[_next] = Count;
            _next = (_next + 1) % Recent;
            return Count++;
        }
    }
}
