using Gocker.Core.Interop;

namespace Gocker.Core.Containers;

/// <summary>Container ids (64 hex characters from a cryptographic RNG, shown as 12) and names.</summary>
public static class ContainerId
{
    public const int ShortLength = 12;

    public static string New() => Convert.ToHexStringLower(Libc.RandomBytes(32));

    public static string Short(string id) => id.Length > ShortLength ? id[..ShortLength] : id;

    // Hand-written checks, not regular expressions: these run on every `run`, and the first use of a
    // Regex (its runner, its caches) cost about 0.15 ms of it on the development VM.

    /// <summary>Docker's rule, [a-zA-Z0-9][a-zA-Z0-9_.-]*; checked before a name touches any path.</summary>
    public static void ValidateName(string name)
    {
        bool ok = name.Length is > 0 and <= 128 && char.IsAsciiLetterOrDigit(name[0]);
        for (int i = 1; ok && i < name.Length; i++)
            ok = char.IsAsciiLetterOrDigit(name[i]) || name[i] is '_' or '.' or '-';
        if (!ok)
            throw new GockerException($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }

    /// <summary>RFC 1123 labels (letters, digits and inner hyphens, separated by single dots), at most
    /// 64 bytes (the kernel's limit for a UTS name).</summary>
    public static void ValidateHostname(string hostname)
    {
        bool ok = hostname.Length is > 0 and <= 64;
        foreach (var label in hostname.Split('.'))
            ok &= label.Length > 0 && char.IsAsciiLetterOrDigit(label[0]) && char.IsAsciiLetterOrDigit(label[^1])
                && label.AsSpan().IndexOfAnyExcept(AsciiLetterDigitHyphen) < 0;
        if (!ok)
            throw new GockerException($"invalid hostname format: {hostname}");
    }

    private static readonly System.Buffers.SearchValues<char> AsciiLetterDigitHyphen =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
}
