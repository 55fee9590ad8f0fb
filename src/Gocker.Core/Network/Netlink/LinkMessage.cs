using System.Buffers.Binary;

namespace Gocker.Core.Network.Netlink;

/// <summary>Reads one RTM_NEWLINK message (a reply to a link dump): the ifinfomsg's index, and the
/// attributes gocker looks at.</summary>
internal static class LinkMessage
{
    public static LinkInfo? Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Rtnl.IfInfoSize)
            return null;
        int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        string? name = null, kind = null, alias = null;
        int master = 0;
        foreach (var a in new NetlinkAttributes(payload[Rtnl.IfInfoSize..]))
        {
            switch (a.Type)
            {
                case Rtnl.IFLA_IFNAME:
                    name = a.ValueString();
                    break;
                case Rtnl.IFLA_MASTER when a.Value.Length >= 4:
                    master = BinaryPrimitives.ReadInt32LittleEndian(a.Value);
                    break;
                case Rtnl.IFLA_IFALIAS:
                    alias = a.ValueString();
                    break;
                case Rtnl.IFLA_LINKINFO:
                    foreach (var i in new NetlinkAttributes(a.Value))
                        if (i.Type == Rtnl.IFLA_INFO_KIND)
                            kind = i.ValueString();
                    break;
            }
        }
        // The kernel reports an empty alias (one that was cleared) as no attribute at all, but be sure.
        return name is null ? null : new LinkInfo(name, index, kind, master, string.IsNullOrEmpty(alias) ? null : alias);
    }
}
