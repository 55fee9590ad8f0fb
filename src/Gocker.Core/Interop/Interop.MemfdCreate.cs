using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MemfdCreateRaw(string name, uint flags);

    /// <summary>An anonymous in-memory file: hands data of any size across an execve, which a pipe
    /// (64 KiB before the writer blocks) cannot do for a long argv.</summary>
    internal static SafeFileHandle MemfdCreate(string name) =>
        new(Check(MemfdCreateRaw(name, 0), $"memfd_create {name}"), true);
}
