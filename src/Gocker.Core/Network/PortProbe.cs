using Gocker.Core.Interop;

namespace Gocker.Core.Network;

/// <summary>Whether a host port is in use by a socket on the host, by trying to bind it: a published
/// port's DNAT would silently take the traffic of a server already listening there.</summary>
public static class PortProbe
{
    private const int EADDRINUSE = 98;

    public static bool IsFree(Ipv4Address hostIp, int port, string protocol)
    {
        using var s = Libc.Socket(Libc.AF_INET, protocol == "udp" ? Libc.SOCK_DGRAM : Libc.SOCK_STREAM);
        // SO_REUSEADDR: a connection in TIME_WAIT is no owner; a listener still makes bind fail.
        Libc.SetSocketOption(s, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
        return Libc.BindInet(s, hostIp.Value, port) != EADDRINUSE;
    }

    public static (int First, int Last) EphemeralRange()
    {
        try
        {
            var f = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 2 && int.TryParse(f[0], out var a) && int.TryParse(f[1], out var b) && a > 0 && b >= a && b <= 65535)
                return (a, b);
        }
        catch (IOException) { }
        return (32768, 60999);
    }
}
