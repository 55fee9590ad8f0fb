using System.Runtime.InteropServices;
using Gocker.Core.Interop;

namespace Gocker.Core.Network;

/// <summary>Brings up lo in a new network namespace (it starts down), with one ioctl pair.</summary>
public static unsafe class Loopback
{
    [StructLayout(LayoutKind.Sequential, Size = 40)]
    private struct IfReq
    {
        public fixed byte Name[16];
        public short Flags;
    }

    private const short IFF_UP = 1;

    public static void Up()
    {
        using var sock = Libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM);
        IfReq req = default;
        req.Name[0] = (byte)'l';
        req.Name[1] = (byte)'o';
        Libc.Check(Libc.Ioctl(sock, Libc.SIOCGIFFLAGS, &req), "SIOCGIFFLAGS lo");
        req.Flags |= IFF_UP;
        Libc.Check(Libc.Ioctl(sock, Libc.SIOCSIFFLAGS, &req), "SIOCSIFFLAGS lo");
    }
}
