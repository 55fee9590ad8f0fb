using System.Buffers.Binary;
using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Network.Netlink;

/// <summary>An rtnetlink socket of the calling thread's network namespace (a socket stays in the
/// namespace it was created in). Requests go one at a time: send, then read until the reply with
/// our sequence number.</summary>
internal sealed class NetlinkSocket : IDisposable
{
    private readonly SafeFileHandle _fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW, Rtnl.NETLINK_ROUTE);
    private readonly byte[] _recv = new byte[32 * 1024];
    private uint _seq = (uint)Environment.TickCount;

    public uint NextSeq() => ++_seq;

    /// <summary>Sends a request that asked for an ACK; returns 0 or the negative errno of the reply.</summary>
    public int Request(ReadOnlySpan<byte> message, string what)
    {
        uint seq = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);
        Libc.Send(_fd, message, what);
        while (true)
        {
            int n = Libc.Recv(_fd, _recv, what);
            foreach (var m in new NetlinkMessages(_recv.AsSpan(0, n)))
                if (m.Seq == seq && m.Type == Rtnl.NLMSG_ERROR)
                    return m.Error;
        }
    }

    /// <summary>As <see cref="Request"/>, throwing on an error.</summary>
    public void Check(ReadOnlySpan<byte> message, string what)
    {
        int error = Request(message, what);
        if (error < 0)
            throw new SyscallException(what, -error);
    }

    /// <summary>A GET whose one reply is a message of its own type (or NLMSG_ERROR): calls
    /// <paramref name="onReply"/> with its payload for each reply message until done, and returns 0
    /// or the negative errno. Dumps end with NLMSG_DONE.</summary>
    public int Get(ReadOnlySpan<byte> message, string what, ReplyHandler onReply)
    {
        uint seq = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);
        bool dump = (BinaryPrimitives.ReadUInt16LittleEndian(message[6..]) & Rtnl.NLM_F_DUMP) == Rtnl.NLM_F_DUMP;
        Libc.Send(_fd, message, what);
        while (true)
        {
            int n = Libc.Recv(_fd, _recv, what);
            foreach (var m in new NetlinkMessages(_recv.AsSpan(0, n)))
            {
                if (m.Seq != seq)
                    continue;
                if (m.Type == Rtnl.NLMSG_ERROR)
                    return m.Error;
                if (m.Type == Rtnl.NLMSG_DONE)
                    return 0;
                onReply(m.Payload);
                if (!dump)
                    return 0;
            }
        }
    }

    public delegate void ReplyHandler(ReadOnlySpan<byte> payload);

    public void Dispose() => _fd.Dispose();
}
