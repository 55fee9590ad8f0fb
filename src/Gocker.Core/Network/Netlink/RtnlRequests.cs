namespace Gocker.Core.Network.Netlink;

/// <summary>The rtnetlink requests gocker sends, each built into a caller's buffer (unit-tested on
/// their exact bytes). Every request asks for an acknowledgement (NLM_F_ACK), so that each one's
/// errno is known.</summary>
internal static class RtnlRequests
{
    private const ushort Create = Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL;
    private const ushort Change = Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK;

    /// <summary>`ip link add NAME type bridge` (down: it goes up once it has its address).</summary>
    public static int NewBridge(Span<byte> buf, uint seq, string name)
    {
        var b = new NetlinkBuilder(buf, Rtnl.RTM_NEWLINK, Create, seq);
        b.IfInfo(0);
        b.AttrString(Rtnl.IFLA_IFNAME, name);
        int info = b.BeginNested(Rtnl.IFLA_LINKINFO);
        b.AttrString(Rtnl.IFLA_INFO_KIND, "bridge");
        b.EndNested(info);
        return b.Finish().Length;
    }

    /// <summary>One request makes the whole pair: `ip link add HOST master BRIDGE up type veth peer
    /// name PEER address MAC netns PID`. The peer is created directly inside the container's
    /// network namespace (IFLA_NET_NS_PID in the peer's attributes), so its name there (eth0) never
    /// meets the host's interface names, and there is no separate move.</summary>
    public static int NewVeth(Span<byte> buf, uint seq, string hostName, int masterIndex, string peerName, int peerNetnsPid,
        ReadOnlySpan<byte> peerMac)
    {
        var b = new NetlinkBuilder(buf, Rtnl.RTM_NEWLINK, Create, seq);
        b.IfInfo(0, Rtnl.IFF_UP, Rtnl.IFF_UP);
        b.AttrU32(Rtnl.IFLA_MASTER, (uint)masterIndex);
        b.AttrString(Rtnl.IFLA_IFNAME, hostName);
        int info = b.BeginNested(Rtnl.IFLA_LINKINFO);
        b.AttrString(Rtnl.IFLA_INFO_KIND, "veth");
        int data = b.BeginNested(Rtnl.IFLA_INFO_DATA);
        // VETH_INFO_PEER's payload is a whole ifinfomsg followed by the peer's own attributes.
        int peer = b.BeginNested(Rtnl.VETH_INFO_PEER);
        // Not up here: the kernel configures the peer before the pair is joined, and opening a veth
        // without its peer fails (ENOTCONN). Init sets eth0 up inside.
        b.IfInfo(0);
        b.AttrString(Rtnl.IFLA_IFNAME, peerName);
        b.Attr(Rtnl.IFLA_ADDRESS, peerMac);
        b.AttrU32(Rtnl.IFLA_NET_NS_PID, (uint)peerNetnsPid);
        b.EndNested(peer);
        b.EndNested(data);
        b.EndNested(info);
        return b.Finish().Length;
    }

    /// <summary>`ip link set dev INDEX up`.</summary>
    public static int SetUp(Span<byte> buf, uint seq, int index)
    {
        var b = new NetlinkBuilder(buf, Rtnl.RTM_NEWLINK, Change, seq);
        b.IfInfo(index, Rtnl.IFF_UP, Rtnl.IFF_UP);
        return b.Finish().Length;
    }

    /// <summary>`ip link set dev INDEX alias ALIAS`. Without a NUL, as `ip` sends it: the kernel
    /// stores the attribute's bytes as they are, and counts a NUL against the 255-byte limit.</summary>
    public static int SetAlias(Span<byte> buf, uint seq, int index, string alias)
    {
        var b = new NetlinkBuilder(buf, Rtnl.RTM_NEWLINK, Change, seq);
        b.IfInfo(index);
        b.Attr(Rtnl.IFLA_IFALIAS, System.Text.Encoding.UTF8.GetBytes(alias));
        return b.Finish().Length;
    }

    /// <summary>`ip link del NAME`.</summary>
    public static int DeleteLink(Span<byte> buf, uint seq, string name)
    {
        var b = new NetlinkBuilder(buf, Rtnl.RTM_DELLINK, Change, seq);
        b.IfInfo(0);
        b.AttrString(Rtnl.IFLA_IFNAME, name);
        return b.Finish().Length;
    }

    /// <summary>`ip link show NAME`: the reply's ifinfomsg carries the index (ENODEV if none).</summary>
    public static int GetLink(Span<byte> buf, uint seq, string name)
    {
        var b = new NetlinkBuilder(buf, Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST, seq);
        b.IfInfo(0);
        b.AttrString(Rtnl.IFLA_IFNAME, name);
        return b.Finish().Length;
    }

    /// <summary>`ip link show`: every link of the namespace, as a multi-part dump.</summary>
    public static int DumpLinks(Span<byte> buf, uint seq)
    {
        var b = new NetlinkBuilder(buf, Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, seq);
        b.IfInfo(0);
        return b.Finish().Length;
    }

    /// <summary>`ip addr add ADDRESS/PREFIX broadcast BCAST dev INDEX`.</summary>
    public static int NewAddress(Span<byte> buf, uint seq, int index, Ipv4Address address, int prefixLength)
    {
        var b = new NetlinkBuilder(buf, Rtnl.RTM_NEWADDR, Create, seq);
        b.IfAddr((byte)prefixLength, Rtnl.RT_SCOPE_UNIVERSE, index);
        b.Attr(Rtnl.IFA_LOCAL, address.ToBytes());
        b.Attr(Rtnl.IFA_ADDRESS, address.ToBytes());
        var subnet = new Ipv4Cidr(new Ipv4Address(address.Value & Ipv4Cidr.MaskOf(prefixLength)), prefixLength);
        b.Attr(Rtnl.IFA_BROADCAST, subnet.Broadcast.ToBytes());
        return b.Finish().Length;
    }

}
