using Gocker.Core.Interop;
using System.Text.RegularExpressions;

namespace Gocker.Core.Containers;

/// <summary>Container ids (64 hex characters from a cryptographic RNG, shown as 12) and names.</summary>
public static partial class ContainerId
{
    public const int ShortLength = 12;

    public static string New() => Convert.ToHexStringLower(Libc.RandomBytes(32));

    public static string Short(string id) => id.Length > ShortLength ? id[..ShortLength] : id;

    /// <summary>Docker's rule; checked before a name touches any path.</summary>
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex NamePattern();

    public static void ValidateName(string name)
    {
        if (name.Length > 128 || !NamePattern().IsMatch(name))
            throw new GockerException($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }

    /// <summary>RFC 1123 labels, at most 64 bytes (the kernel's limit for a UTS name).</summary>
    [GeneratedRegex("^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$")]
    private static partial Regex HostnamePattern();

    public static void ValidateHostname(string hostname)
    {
        if (hostname.Length > 64 || !HostnamePattern().IsMatch(hostname))
            throw new GockerException($"invalid hostname format: {hostname}");
    }
}
