using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [StructLayout(LayoutKind.Sequential)]
    private struct SockAddrIn
    {
        public ushort Family;
        public ushort PortNetworkOrder;
        public uint AddressNetworkOrder;
        public ulong Zero;
    }

    [LibraryImport(Lib, EntryPoint = "bind", SetLastError = true)]
    private static unsafe partial int BindRaw(SafeFileHandle fd, SockAddrIn* addr, uint len);

    /// <summary>bind(2) to an IPv4 address (host order) and port; the errno on failure, else 0.</summary>
    internal static unsafe int BindInet(SafeFileHandle fd, uint address, int port)
    {
        var sa = new SockAddrIn
        {
            Family = AF_INET,
            PortNetworkOrder = (ushort)System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)port),
            AddressNetworkOrder = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(address),
        };
        return BindRaw(fd, &sa, (uint)sizeof(SockAddrIn)) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }
}
