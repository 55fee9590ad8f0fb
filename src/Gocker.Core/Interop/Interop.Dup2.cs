using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "dup2", SetLastError = true)]
    internal static partial int Dup2(SafeFileHandle oldFd, int newFd);
}
