using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Lchown(string path, uint uid, uint gid);
}
