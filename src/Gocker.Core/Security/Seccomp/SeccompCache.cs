using System.Globalization;

namespace Gocker.Core.Security.Seccomp;

/// <summary>Compiled default filters, kept in the root's cache directory. Compiling the default profile costs
/// ~0.3 ms in a fresh gocker process (most of it first-time work: tables, code paging in), which every start
/// and exec would pay; reading the cached program costs a few tens of microseconds.
///
/// The key is everything the program depends on: the capability set, the kernel release (the profile's
/// minKernel rule), and the identity of this gocker binary (device, inode, size, mtime): a different or
/// upgraded binary (whose profile or compiler may differ) never reads another's program. A file that
/// cannot be read is compiled again; one that cannot be written is not cached. Both are harmless.</summary>
public sealed class SeccompCache(string dir, Func<string?> binaryIdentity, Func<string> kernelRelease)
{
    public SeccompCache(string dir, string? binaryIdentity, string kernelRelease) : this(dir, () => binaryIdentity, () => kernelRelease) { }

    /// <summary>The key's parts are read only when a program is asked for (not for --privileged, unconfined).</summary>
    public static SeccompCache For(string dir) =>
        new(dir, () => Interop.Libc.Identity("/proc/self/exe"), Interop.Libc.KernelRelease);

    public byte[] DefaultProgram(ulong capabilities, Func<byte[]> compile)
    {
        if (binaryIdentity() is not { } identity)
            return compile();
        // The key first, then the name: an interpolation nested in another returns two arrays to the
        // shared pool at once, and the second one makes the pool measure the CPU number's cost (0.2 ms).
        ulong key = Key(identity, kernelRelease(), capabilities);
        var path = Path.Combine(dir, "seccomp-default-" + key.ToString("x16", CultureInfo.InvariantCulture) + ".bpf");
        try
        {
            var cached = File.ReadAllBytes(path);
            if (cached.Length > 0 && cached.Length % BpfInstruction.Size == 0)
                return cached;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        var program = compile();
        // Written aside and renamed: a reader sees the whole program or none.
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.WriteAllBytes(tmp, program);
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A half-written file (disk full) would stay in the cache directory for good.
            try { File.Delete(tmp); }
            catch (Exception d) when (d is IOException or UnauthorizedAccessException) { }
        }
        return program;
    }

    /// <summary>FNV-1a 64 over the key's text (ASCII: the same over its bytes as over its chars): a file
    /// name, not a security boundary (the cache is as trusted as the root directory it lives in).</summary>
    private static ulong Key(string identity, string release, ulong capabilities) =>
        Hashing.Fnv1a.Hash(string.Create(CultureInfo.InvariantCulture, stackalloc char[256], $"{identity}|{release}|{capabilities:x}"));
}
