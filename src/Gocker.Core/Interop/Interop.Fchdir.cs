using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "fchdir", SetLastError = true)]
    internal static partial int Fchdir(SafeFileHandle fd);
}
