using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "sethostname", SetLastError = true)]
    internal static partial int Sethostname(byte[] name, nuint len);
}
