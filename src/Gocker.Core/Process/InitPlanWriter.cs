using System.Buffers.Binary;
using System.Text;

namespace Gocker.Core.Process;

/// <summary>The operations of the init plan (native/initplan.h, which gives each one's fields).</summary>
public enum InitOp : ulong
{
    End = 0, Mount = 1, Mknod = 2, Symlink = 3, Chdir = 4, Prepare = 5, Open = 6, Close = 7, If = 8,
    Pivot = 9, Hostname = 10, Loopback = 11, Process = 12, Network = 13,
}

/// <summary>The init plan's encoding (native/initplan.h): fields of a 32-bit little-endian length and
/// their bytes; strings NUL-terminated past their length (init reads them in place), null as length
/// 0xFFFFFFFF; numbers 8 bytes little-endian.</summary>
public sealed class InitPlanWriter
{
    public const uint Magic = 0x31494b47; // "GKI1"
    private const uint NullLength = 0xFFFFFFFF;

    private byte[] _buf = new byte[4096];
    private int _len;

    public InitPlanWriter() => Raw32(Magic);

    public int Length => _len;

    public InitPlanWriter Op(InitOp op) => U64((ulong)op);

    public InitPlanWriter U64(ulong value)
    {
        Raw32(8);
        BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
        _len += 8;
        return this;
    }

    public InitPlanWriter Str(string? value)
    {
        if (value is null)
        {
            Raw32(NullLength);
            return this;
        }
        var span = Reserve(4 + Encoding.UTF8.GetMaxByteCount(value.Length) + 1);
        int n = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)n);
        span[4 + n] = 0;
        _len += 4 + n + 1;
        return this;
    }

    public InitPlanWriter Bytes(ReadOnlySpan<byte> value)
    {
        var span = Reserve(4 + value.Length + 1);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)value.Length);
        value.CopyTo(span[4..]);
        span[4 + value.Length] = 0;
        _len += 4 + value.Length + 1;
        return this;
    }

    /// <summary>Starts an If: the operations written until <see cref="EndIf"/> run only when the path's
    /// kind is one of <paramref name="kinds"/>. Returns the mark to give EndIf.</summary>
    public int BeginIf(string path, Filesystem.PathKinds kinds)
    {
        Op(InitOp.If).Str(path).U64((ulong)kinds).U64(0);
        return _len;
    }

    /// <summary>The If's field "bytes to skip" is the size of what was written since its start.</summary>
    public void EndIf(int mark) =>
        BinaryPrimitives.WriteUInt64LittleEndian(_buf.AsSpan(mark - 8, 8), (ulong)(_len - mark));

    public byte[] ToArray() => _buf.AsSpan(0, _len).ToArray();

    private void Raw32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
        _len += 4;
    }

    private Span<byte> Reserve(int n)
    {
        if (_len + n > _buf.Length)
            Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + n));
        return _buf.AsSpan(_len, n);
    }
}
