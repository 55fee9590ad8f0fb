using Gocker.Core.Network;
using Gocker.Core.Network.Netlink;

namespace Gocker.Core.Tests.Network;

/// <summary>The exact bytes of every rtnetlink request (checked against what `ip` sends for the same
/// operation under strace, lengths and attribute order included).</summary>
public class NetlinkMessageTests
{
    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexString(b).ToLowerInvariant();
    private static string H(string spaced) => spaced.Replace(" ", "").Replace("\n", "");

    private delegate int Build(Span<byte> buf);

    private static string Bytes(Build build)
    {
        var buf = new byte[512];
        int n = build(buf);
        return Hex(buf.AsSpan(0, n));
    }

    private const string ZeroIfInfo = "00000000 00000000 00000000 00000000";

    [Fact]
    public void VethPairWithThePeerInAnotherNamespace()
    {
        var got = Bytes(b => RtnlRequests.NewVeth(b, 1, "gkv0123456789ab", 7, "eth0", 1234, [0x02, 0x42, 0xac, 0x11, 0x00, 0x02]));
        var want = H(
            "84000000 1000 0506 01000000 00000000" +        // nlmsghdr: 132 bytes, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 1
            "00 00 0000 00000000 01000000 01000000" +        // ifinfomsg: index 0, flags IFF_UP, change IFF_UP
            "0800 0a00 07000000" +                           // IFLA_MASTER 7
            "1400 0300 676b7630313233343536373839616200" +   // IFLA_IFNAME "gkv0123456789ab"
            "4800 1200" +                                    // IFLA_LINKINFO (72)
            "  0900 0100 76657468 00000000" +                //   IFLA_INFO_KIND "veth", padded
            "  3800 0200" +                                  //   IFLA_INFO_DATA (56)
            "    3400 0100" +                                //     VETH_INFO_PEER (52)
            "    " + ZeroIfInfo +                            //       the peer's ifinfomsg: down
            "      0900 0300 65746830 00000000" +            //       IFLA_IFNAME "eth0"
            "      0a00 0100 0242ac110002 0000" +            //       IFLA_ADDRESS
            "      0800 1300 d2040000");                     //       IFLA_NET_NS_PID 1234
        Assert.Equal(want, got);
    }

    [Fact]
    public void Bridge() => Assert.Equal(H(
        "3c000000 1000 0506 04000000 00000000" + ZeroIfInfo +
        "0c00 0300 676f636b657230 00" +                      // IFLA_IFNAME "gocker0"
        "1000 1200 0b00 0100 627269646765 00 00"),           // IFLA_LINKINFO { IFLA_INFO_KIND "bridge" }
        Bytes(b => RtnlRequests.NewBridge(b, 4, "gocker0")));

    [Fact]
    public void Address() => Assert.Equal(H(
        "30000000 1400 0506 02000000 00000000" +             // RTM_NEWADDR
        "02 10 00 00 05000000" +                             // ifaddrmsg: AF_INET, /16, scope universe, index 5
        "0800 0200 ac110002" +                               // IFA_LOCAL
        "0800 0100 ac110002" +                               // IFA_ADDRESS
        "0800 0400 ac11ffff"),                               // IFA_BROADCAST
        Bytes(b => RtnlRequests.NewAddress(b, 2, 5, Ipv4Address.Parse("172.17.0.2"), 16)));

    [Fact]
    public void SetUp() => Assert.Equal(H("20000000 1000 0500 05000000 00000000 0000 0000 09000000 01000000 01000000"),
        Bytes(b => RtnlRequests.SetUp(b, 5, 9)));

    [Fact]
    public void AliasWithoutANul() => Assert.Equal(H(
        "28000000 1000 0500 09000000 00000000" +             // RTM_NEWLINK, REQUEST|ACK (a change, not a create)
        "00 00 0000 07000000 00000000 00000000" +            // ifinfomsg: index 7
        "0600 1400 6162 0000"),                              // IFLA_IFALIAS "ab", as `ip link set dev X alias ab`
        Bytes(b => RtnlRequests.SetAlias(b, 9, 7, "ab")));

    [Fact]
    public void ALinkFromADumpWithItsKindMasterAndAlias()
    {
        var buf = new byte[512];
        var b = new NetlinkBuilder(buf, Rtnl.RTM_NEWLINK, 0, 1);
        b.IfInfo(42);
        b.AttrString(Rtnl.IFLA_IFNAME, "gkv0123456789ab");
        b.AttrU32(Rtnl.IFLA_MASTER, 7);
        b.Attr(Rtnl.IFLA_IFALIAS, "gocker net=0123456789ab root=/r"u8);
        int info = b.BeginNested(Rtnl.IFLA_LINKINFO);
        b.AttrString(Rtnl.IFLA_INFO_KIND, "veth");
        b.EndNested(info);
        int len = b.Finish().Length;
        Assert.Equal(new LinkInfo("gkv0123456789ab", 42, "veth", 7, "gocker net=0123456789ab root=/r"),
            LinkMessage.Parse(buf.AsSpan(Rtnl.HeaderSize, len - Rtnl.HeaderSize)));

        b = new NetlinkBuilder(buf, Rtnl.RTM_NEWLINK, 0, 2);
        b.IfInfo(1);
        b.AttrString(Rtnl.IFLA_IFNAME, "eth0");
        len = b.Finish().Length;
        Assert.Equal(new LinkInfo("eth0", 1, null, 0, null), LinkMessage.Parse(buf.AsSpan(Rtnl.HeaderSize, len - Rtnl.HeaderSize)));
    }

    [Fact]
    public void DeleteByName() => Assert.Equal(H("2c000000 1100 0500 06000000 00000000" + ZeroIfInfo + "0900 0300 676b7631 00000000"),
        Bytes(b => RtnlRequests.DeleteLink(b, 6, "gkv1")));

    [Fact]
    public void GetByNameWantsNoAck() => Assert.Equal(H("2c000000 1200 0100 08000000 00000000" + ZeroIfInfo + "0900 0300 676b7631 00000000"),
        Bytes(b => RtnlRequests.GetLink(b, 8, "gkv1")));

    [Fact]
    public void DumpLinks() => Assert.Equal(H("20000000 1200 0103 07000000 00000000" + ZeroIfInfo),
        Bytes(b => RtnlRequests.DumpLinks(b, 7)));

    [Fact]
    public void TooSmallABufferIsAnErrorNotAnOverflow() =>
        Assert.Throws<InvalidOperationException>(() => RtnlRequests.NewVeth(new byte[64], 1, "a", 1, "eth0", 1, new byte[6]));

    [Fact]
    public void ReadsAcksErrorsAndMultipartReplies()
    {
        // An ACK (error 0) for seq 5, then ENODEV (-19) for seq 6, in one datagram.
        var buf = Convert.FromHexString(H(
            "24000000 0200 0000 05000000 01000000 00000000 20000000 1000 0500 05000000 00000000" +
            "24000000 0200 0000 06000000 01000000 edffffff 20000000 1200 0100 06000000 00000000"));
        var seen = new List<(uint Seq, ushort Type, int Error)>();
        foreach (var m in new NetlinkMessages(buf))
            seen.Add((m.Seq, m.Type, m.Error));
        Assert.Equal([(5u, Rtnl.NLMSG_ERROR, 0), (6u, Rtnl.NLMSG_ERROR, -19)], seen);
    }

    [Fact]
    public void StopsAtATruncatedMessage()
    {
        var buf = Convert.FromHexString(H("24000000 0200 0000 05000000 01000000 00000000"));
        Assert.False(new NetlinkMessages(buf).MoveNext());
    }

    [Fact]
    public void WalksAttributesMaskingTheNestedFlag()
    {
        // IFLA_IFNAME "eth0"; IFLA_LINKINFO with NLA_F_NESTED (0x8000) set; IFLA_MTU 1500.
        var attrs = Convert.FromHexString(H("0900 0300 65746830 00000000 0800 1280 00000000 0800 0400 dc050000"));
        var got = new List<(ushort, int)>();
        string? name = null;
        foreach (var a in new NetlinkAttributes(attrs))
        {
            got.Add((a.Type, a.Value.Length));
            if (a.Type == Rtnl.IFLA_IFNAME)
                name = a.ValueString();
        }
        Assert.Equal([(Rtnl.IFLA_IFNAME, 5), (Rtnl.IFLA_LINKINFO, 4), ((ushort)4, 4)], got);
        Assert.Equal("eth0", name);
    }
}
