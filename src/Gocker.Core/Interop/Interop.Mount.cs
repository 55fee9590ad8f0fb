using System.Runtime.InteropServices;
using Gocker.Core.Filesystem;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string? source, string target, string? fstype, MountFlags flags, string? data);
}
