using System.Text;
using Gocker.Core.Interop;

namespace Gocker.Core.Process;

internal static class Hostname
{
    /// <summary>sethostname in the container's own UTS namespace.</summary>
    public static void Set(string hostname)
    {
        var bytes = Encoding.UTF8.GetBytes(hostname);
        Libc.Check(Libc.Sethostname(bytes, (nuint)bytes.Length), "sethostname");
    }
}
