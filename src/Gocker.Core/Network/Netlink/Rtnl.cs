namespace Gocker.Core.Network.Netlink;

/// <summary>The rtnetlink numbers gocker uses (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h,
/// linux/if_addr.h, linux/veth.h). Values are kernel ABI: they never change.</summary>
internal static class Rtnl
{
    public const int NETLINK_ROUTE = 0;

    // nlmsghdr.nlmsg_type
    public const ushort NLMSG_ERROR = 2, NLMSG_DONE = 3;
    public const ushort RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_NEWADDR = 20, RTM_NEWROUTE = 24;

    // nlmsghdr.nlmsg_flags
    public const ushort NLM_F_REQUEST = 0x1, NLM_F_MULTI = 0x2, NLM_F_ACK = 0x4, NLM_F_DUMP = 0x300,
        NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;

    // ifinfomsg attributes
    public const ushort IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MASTER = 10, IFLA_LINKINFO = 18, IFLA_NET_NS_PID = 19, IFLA_IFALIAS = 20;
    /// <summary>IFALIASZ: an alias is at most 255 bytes.</summary>
    public const int MaxAliasBytes = 255;
    public const ushort IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2;
    public const ushort VETH_INFO_PEER = 1;

    // ifaddrmsg attributes
    public const ushort IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_BROADCAST = 4;

    // rtmsg attributes and fields
    public const ushort RTA_OIF = 4, RTA_GATEWAY = 5;
    public const byte RT_TABLE_MAIN = 254, RTPROT_BOOT = 3, RT_SCOPE_UNIVERSE = 0, RTN_UNICAST = 1;

    public const byte AF_UNSPEC = 0, AF_INET = 2;
    public const uint IFF_UP = 1;

    public const int HeaderSize = 16, IfInfoSize = 16, IfAddrSize = 8, RtMsgSize = 12;
}
