using System.Buffers.Binary;

namespace Gocker.Core.Network.Netlink;

/// <summary>One message of a netlink reply: its header fields and what follows the header.</summary>
internal readonly ref struct NetlinkMessage(ushort type, ushort flags, uint seq, ReadOnlySpan<byte> payload)
{
    public ushort Type { get; } = type;
    public ushort Flags { get; } = flags;
    public uint Seq { get; } = seq;
    public ReadOnlySpan<byte> Payload { get; } = payload;

    /// <summary>NLMSG_ERROR: a negative errno, or 0 for an acknowledgement.</summary>
    public int Error => Type == Rtnl.NLMSG_ERROR && Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(Payload) : 0;
}

/// <summary>Walks the messages of one recv buffer (a dump reply holds several).</summary>
internal ref struct NetlinkMessages(ReadOnlySpan<byte> buffer)
{
    private ReadOnlySpan<byte> _rest = buffer;

    public NetlinkMessage Current { get; private set; }

    public readonly NetlinkMessages GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < Rtnl.HeaderSize)
            return false;
        int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (len < Rtnl.HeaderSize || len > _rest.Length)
            return false;
        Current = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[8..]),
            _rest[Rtnl.HeaderSize..len]);
        _rest = _rest[Math.Min(NetlinkBuilder.Align(len), _rest.Length)..];
        return true;
    }
}

/// <summary>Walks the TLV attributes that follow a family header.</summary>
internal ref struct NetlinkAttributes(ReadOnlySpan<byte> attributes)
{
    private ReadOnlySpan<byte> _rest = attributes;

    public ushort Type { get; private set; }
    public ReadOnlySpan<byte> Value { get; private set; }

    public readonly NetlinkAttributes GetEnumerator() => this;
    public readonly NetlinkAttributes Current => this;

    public bool MoveNext()
    {
        if (_rest.Length < 4)
            return false;
        int len = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (len < 4 || len > _rest.Length)
            return false;
        // The top bits are flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER), not part of the type.
        Type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & 0x3fff);
        Value = _rest[4..len];
        _rest = _rest[Math.Min(NetlinkBuilder.Align(len), _rest.Length)..];
        return true;
    }

    /// <summary>A NUL-terminated string value.</summary>
    public readonly string ValueString()
    {
        var v = Value;
        int nul = v.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(nul < 0 ? v : v[..nul]);
    }
}
