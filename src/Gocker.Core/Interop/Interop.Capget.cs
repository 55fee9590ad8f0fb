using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    private const uint LinuxCapabilityVersion3 = 0x20080522;

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective, Permitted, Inheritable;
    }

    [LibraryImport(Lib, EntryPoint = "capget", SetLastError = true)]
    private static unsafe partial int CapgetRaw(CapHeader* header, CapData* data);

    /// <summary>This thread's permitted capability set (64 bits, version 3).</summary>
    internal static unsafe ulong PermittedCapabilities()
    {
        var header = new CapHeader { Version = LinuxCapabilityVersion3, Pid = 0 };
        var data = stackalloc CapData[2];
        Check(CapgetRaw(&header, data), "capget");
        return data[0].Permitted | ((ulong)data[1].Permitted << 32);
    }
}
