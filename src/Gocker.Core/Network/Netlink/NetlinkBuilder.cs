using System.Buffers.Binary;
using System.Text;

namespace Gocker.Core.Network.Netlink;

/// <summary>Writes one netlink request into a caller's buffer: the 16-byte nlmsghdr, a fixed family
/// header (ifinfomsg, ifaddrmsg, rtmsg), then attributes as TLVs (u16 length, u16 type, payload,
/// padded to 4 bytes; nested attributes are TLVs whose payload is TLVs). Host byte order throughout,
/// as netlink is; addresses inside attributes are network order (the caller gives bytes).</summary>
internal ref struct NetlinkBuilder
{
    private readonly Span<byte> _buf;
    private int _len;

    public NetlinkBuilder(Span<byte> buffer, ushort type, ushort flags, uint seq)
    {
        _buf = buffer;
        _buf[..Rtnl.HeaderSize].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(_buf[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buf[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(_buf[8..], seq);
        // nlmsg_pid 0: the kernel fills in our port id.
        _len = Rtnl.HeaderSize;
    }

    public readonly int Length => _len;

    /// <summary>struct ifinfomsg: family, pad, type, index, flags, change.</summary>
    public void IfInfo(int index, uint flags = 0, uint change = 0)
    {
        var h = Reserve(Rtnl.IfInfoSize);
        h[0] = Rtnl.AF_UNSPEC;
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], change);
    }

    /// <summary>struct ifaddrmsg: family, prefixlen, flags, scope, index.</summary>
    public void IfAddr(byte prefixLength, byte scope, int index)
    {
        var h = Reserve(Rtnl.IfAddrSize);
        h[0] = Rtnl.AF_INET;
        h[1] = prefixLength;
        h[3] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], index);
    }

    /// <summary>struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags.</summary>
    public void RtMsg(byte dstLength, byte table, byte protocol, byte scope, byte type)
    {
        var h = Reserve(Rtnl.RtMsgSize);
        h[0] = Rtnl.AF_INET;
        h[1] = dstLength;
        h[4] = table;
        h[5] = protocol;
        h[6] = scope;
        h[7] = type;
    }

    public void Attr(ushort type, scoped ReadOnlySpan<byte> payload)
    {
        var a = Reserve(Align(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(a[2..], type);
        payload.CopyTo(a[4..]);
    }

    public void AttrU32(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, value);
        Attr(type, v);
    }

    /// <summary>A NUL-terminated string (IFLA_IFNAME, IFLA_INFO_KIND).</summary>
    public void AttrString(ushort type, string value)
    {
        Span<byte> v = stackalloc byte[Encoding.UTF8.GetMaxByteCount(value.Length) + 1];
        int n = Encoding.UTF8.GetBytes(value, v);
        v[n] = 0;
        Attr(type, v[..(n + 1)]);
    }

    /// <summary>Starts a nested attribute; its length is written by <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        int start = _len;
        var a = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(a[2..], type);
        return start;
    }

    public readonly void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buf[start..], (ushort)(_len - start));

    /// <summary>The finished message (nlmsg_len written).</summary>
    public readonly ReadOnlySpan<byte> Finish()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buf, (uint)_len);
        return _buf[.._len];
    }

    private Span<byte> Reserve(int n)
    {
        if (_len + n > _buf.Length)
            throw new InvalidOperationException("netlink message buffer too small");
        var s = _buf.Slice(_len, n);
        s.Clear();
        _len += n;
        return s;
    }

    public static int Align(int n) => (n + 3) & ~3;
}
