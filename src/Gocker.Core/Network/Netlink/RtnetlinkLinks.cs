using System.Buffers.Binary;
using Gocker.Core.Interop;

namespace Gocker.Core.Network.Netlink;

/// <summary><see cref="ILinks"/> over rtnetlink, in the namespace of the thread that creates it.</summary>
public sealed class RtnetlinkLinks : ILinks
{
    private const int ENODEV = 19;
    private readonly NetlinkSocket _sock;
    private readonly byte[] _buf = new byte[512];

    public RtnetlinkLinks() => _sock = new NetlinkSocket();

    public LinkState? Find(string name)
    {
        int len = RtnlRequests.GetLink(_buf, _sock.NextSeq(), name);
        LinkState state = default;
        int error = _sock.Get(_buf.AsSpan(0, len), $"find network device {name}", payload =>
            state = new LinkState(BinaryPrimitives.ReadInt32LittleEndian(payload[4..]),
                (BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]) & Rtnl.IFF_UP) != 0));
        if (error == -ENODEV)
            return null;
        if (error < 0)
            throw new SyscallException($"find network device {name}", -error);
        return state;
    }

    public int CreateBridge(string name)
    {
        int len = RtnlRequests.NewBridge(_buf, _sock.NextSeq(), name);
        _sock.Check(_buf.AsSpan(0, len), $"create bridge {name}");
        return Find(name)?.Index ?? throw new SyscallException($"create bridge {name}", ENODEV);
    }

    public void AddAddress(int index, Ipv4Address address, int prefixLength)
    {
        int len = RtnlRequests.NewAddress(_buf, _sock.NextSeq(), index, address, prefixLength);
        _sock.Check(_buf.AsSpan(0, len), $"add address {address}/{prefixLength}");
    }

    public void SetUp(int index)
    {
        int len = RtnlRequests.SetUp(_buf, _sock.NextSeq(), index);
        _sock.Check(_buf.AsSpan(0, len), $"set network device {index} up");
    }

    public void CreateVeth(string hostName, int bridgeIndex, string peerName, int peerNetnsPid, byte[] peerMac)
    {
        int len = RtnlRequests.NewVeth(_buf, _sock.NextSeq(), hostName, bridgeIndex, peerName, peerNetnsPid, peerMac);
        _sock.Check(_buf.AsSpan(0, len), $"create veth {hostName}");
    }

    public bool Delete(string name)
    {
        int len = RtnlRequests.DeleteLink(_buf, _sock.NextSeq(), name);
        int error = _sock.Request(_buf.AsSpan(0, len), $"delete network device {name}");
        if (error == -ENODEV)
            return false;
        if (error < 0)
            throw new SyscallException($"delete network device {name}", -error);
        return true;
    }

    public IReadOnlyList<string> Names() => List().Select(l => l.Name).ToList();

    public IReadOnlyList<LinkInfo> List()
    {
        var links = new List<LinkInfo>();
        int len = RtnlRequests.DumpLinks(_buf, _sock.NextSeq());
        int error = _sock.Get(_buf.AsSpan(0, len), "list network devices", payload =>
        {
            if (LinkMessage.Parse(payload) is { } link)
                links.Add(link);
        });
        if (error < 0)
            throw new SyscallException("list network devices", -error);
        return links;
    }

    public void SetAlias(int index, string alias)
    {
        int len = RtnlRequests.SetAlias(_buf, _sock.NextSeq(), index, alias);
        _sock.Check(_buf.AsSpan(0, len), $"set the alias of network device {index}");
    }

    public void Dispose() => _sock.Dispose();
}
