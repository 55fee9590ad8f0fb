using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    internal const int CLONE_NEWNET = 0x40000000;

    /// <summary>setns(2) of the calling thread only: a network namespace may be joined by one thread
    /// of a multi-threaded process (a mount or user namespace may not).</summary>
    [LibraryImport(Lib, EntryPoint = "setns", SetLastError = true)]
    internal static partial int Setns(SafeFileHandle fd, int nstype);
}
