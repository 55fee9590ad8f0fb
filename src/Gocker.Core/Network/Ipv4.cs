using System.Buffers.Binary;
using System.Globalization;

namespace Gocker.Core.Network;

/// <summary>An IPv4 address as a host-order number (10.0.0.1 = 0x0A000001), so that subnet arithmetic
/// is plain integer arithmetic. Only the dotted-quad form is accepted: no octal, hex or short forms
/// ("10.1" is 10.0.0.1 to inet_aton, which surprises everyone).</summary>
public readonly record struct Ipv4Address(uint Value) : IComparable<Ipv4Address>
{
    public static Ipv4Address Parse(string text) =>
        TryParse(text, out var a) ? a : throw new GockerException($"invalid IP address: {text}");

    public static bool TryParse(ReadOnlySpan<char> text, out Ipv4Address address)
    {
        address = default;
        uint value = 0;
        int parts = 0;
        bool more = true;
        while (more && parts < 4)
        {
            int dot = text.IndexOf('.');
            var part = dot < 0 ? text : text[..dot];
            // 1-3 decimal digits, no sign, no leading zero (it would mean octal to some parsers).
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') ||
                !uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet) || octet > 255)
                return false;
            value = (value << 8) | octet;
            parts++;
            more = dot >= 0;
            if (more)
                text = text[(dot + 1)..];
        }
        if (parts != 4 || more)
            return false;
        address = new Ipv4Address(value);
        return true;
    }

    /// <summary>Network byte order, as the kernel wants it in sockaddr_in and netlink attributes.</summary>
    public byte[] ToBytes()
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, Value);
        return b;
    }

    public static Ipv4Address FromBytes(ReadOnlySpan<byte> networkOrder) => new(BinaryPrimitives.ReadUInt32BigEndian(networkOrder));

    public bool IsLoopback => Value >> 24 == 127;
    public bool IsUnspecified => Value == 0;

    public Ipv4Address Next => new(Value + 1);

    public int CompareTo(Ipv4Address other) => Value.CompareTo(other.Value);

    public override string ToString() =>
        $"{Value >> 24}.{(Value >> 16) & 0xff}.{(Value >> 8) & 0xff}.{Value & 0xff}";
}

/// <summary>An IPv4 network in CIDR form, e.g. 172.18.0.0/16. The address must be the network's first
/// address (Docker refuses 10.1.2.3/16 too, and says which form it meant).</summary>
public readonly record struct Ipv4Cidr(Ipv4Address Network, int PrefixLength)
{
    public static Ipv4Cidr Parse(string text, string what = "subnet")
    {
        int slash = text.IndexOf('/');
        if (slash < 0 || !Ipv4Address.TryParse(text.AsSpan(0, slash), out var address) ||
            !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) ||
            prefix > 32 || text.Length - slash - 1 > 2)
            throw new GockerException($"invalid CIDR address: {text}");
        var cidr = new Ipv4Cidr(new Ipv4Address(address.Value & MaskOf(prefix)), prefix);
        if (cidr.Network != address)
            throw new GockerException($"invalid {what} {text}: it should be {cidr}");
        return cidr;
    }

    public static uint MaskOf(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

    public uint Mask => MaskOf(PrefixLength);
    public Ipv4Address Broadcast => new(Network.Value | ~Mask);
    public ulong Size => 1UL << (32 - PrefixLength);

    public bool Contains(Ipv4Address a) => (a.Value & Mask) == Network.Value;

    /// <summary>Whether other lies wholly inside this network.</summary>
    public bool Contains(Ipv4Cidr other) => other.PrefixLength >= PrefixLength && Contains(other.Network);

    /// <summary>Two CIDR blocks overlap exactly when one contains the other.</summary>
    public bool Overlaps(Ipv4Cidr other) => Contains(other) || other.Contains(this);

    public override string ToString() => $"{Network}/{PrefixLength}";
}
