using Gocker.Core.Containers;

namespace Gocker.Core.Network;

/// <summary>A root's networks on disk: &lt;root&gt;/networks/NAME.json (the definition), NAME.ipam (the
/// addresses in use, see <see cref="IpamTable"/>), and one lock file for both. Every change happens
/// under <see cref="Lock"/>; definitions and IPAM files are replaced by rename, so a reader without
/// the lock sees a whole old or a whole new file.</summary>
public sealed class NetworkStore(GockerRoot root)
{
    public GockerRoot Root { get; } = root;
    public string Dir => $"{Root.Path}/networks";
    private string LockPath => $"{Dir}/lock";
    private string DefinitionPath(string name) => $"{Dir}/{name}.json";
    private string IpamPath(string name) => $"{Dir}/{name}.ipam";

    /// <summary>Tags this root's iptables rules ("gocker:TAG:OWNER"), so that cleaning one root never
    /// touches another's: FNV-1a of the root's path (no crypto: it would dlopen OpenSSL).</summary>
    public string RootTag => TagOf(Root.Path);

    public static string TagOf(string rootPath) => Hashing.Fnv1a.Hash(rootPath).ToString("x16")[..12];

    public FileLock Lock()
    {
        EnsureDir();
        return FileLock.Exclusive(LockPath);
    }

    /// <summary>For reading IPAM files outside a change: they are rewritten in place.</summary>
    public FileLock SharedLock()
    {
        EnsureDir();
        return FileLock.Shared(LockPath);
    }

    public bool Exists(string name) => IsValidName(name) && File.Exists(DefinitionPath(name));

    public void EnsureDir()
    {
        Root.EnsureCreated();
        Directory.CreateDirectory(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public NetworkDefinition? TryLoad(string name)
    {
        if (!IsValidName(name))
            return null;
        try { return NetworkDefinition.Load(DefinitionPath(name)); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public List<NetworkDefinition> LoadAll()
    {
        if (!Directory.Exists(Dir))
            return [];
        var list = new List<NetworkDefinition>();
        foreach (var path in Directory.EnumerateFiles(Dir, "*.json"))
        {
            try { list.Add(NetworkDefinition.Load(path)); }
            catch (FileNotFoundException) { /* removed meanwhile */ }
        }
        return list.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>By name, full id or unique id prefix, as Docker resolves networks.</summary>
    public NetworkDefinition Resolve(string nameOrId, int exitCode = ExitCodes.GockerError)
    {
        if (TryLoad(nameOrId) is { } byName)
            return byName;
        var all = LoadAll();
        var matches = all.Where(n => n.Id == nameOrId).ToList();
        if (matches.Count == 0 && nameOrId.Length > 0 && IsHex(nameOrId))
            matches = all.Where(n => n.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new GockerException($"network {nameOrId} not found", exitCode),
            _ => throw new GockerException($"network {nameOrId} is ambiguous ({matches.Count} matches found based on ID prefix)", exitCode),
        };
    }

    public void Save(NetworkDefinition n) => n.Save(DefinitionPath(n.Name));

    /// <summary>The definition goes last: until then the network still exists for a retry.</summary>
    public void Delete(string name)
    {
        File.Delete(IpamPath(name));
        File.Delete(DefinitionPath(name));
    }

    public IpamTable ReadIpam(string name)
    {
        try { return IpamTable.Parse(File.ReadAllText(IpamPath(name))); }
        catch (FileNotFoundException) { return new IpamTable(); }
    }

    /// <summary>Rewritten in place, under the lock (a new file and a rename would cost an inode per
    /// start and per exit, which ext4 allocates slowly among the many recently deleted ones a busy
    /// root has). The new text is padded with newlines to the old length in one write, then the file
    /// is cut: a crash between leaves the new text and blank lines, never old lines after new ones.</summary>
    public void WriteIpam(string name, IpamTable table)
    {
        var text = System.Text.Encoding.UTF8.GetBytes(table.Format());
        using var f = File.Open(IpamPath(name), FileMode.OpenOrCreate, FileAccess.ReadWrite);
        long old = f.Length;
        var bytes = text;
        if (old > text.Length)
        {
            bytes = new byte[old];
            text.CopyTo(bytes, 0);
            bytes.AsSpan(text.Length).Fill((byte)'\n');
        }
        RandomAccess.Write(f.SafeFileHandle, bytes, 0);
        if (old > text.Length)
            f.SetLength(text.Length);
    }

    public static void ValidateName(string name)
    {
        if (!IsValidName(name))
            throw new GockerException($"invalid network name \"{name}\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at most 64 characters");
    }

    /// <summary>[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}: safe as a file name, never "." or "..".</summary>
    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(name[0]) &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    private static bool IsHex(string s) => s.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
