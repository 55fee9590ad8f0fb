namespace Gocker.Core.Hashing;

/// <summary>64-bit FNV-1a of a string's UTF-8 bytes: short stable names and tags (a root's rule tag,
/// network and endpoint ids, the seccomp cache key), never for anything an attacker chooses to collide.</summary>
internal static class Fnv1a
{
    public static ulong Hash(string s)
    {
        ulong h = 14695981039346656037;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(s))
        {
            h ^= b;
            h *= 1099511628211;
        }
        return h;
    }
}
