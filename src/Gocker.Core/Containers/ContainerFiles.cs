namespace Gocker.Core.Containers;

/// <summary>A container's directory under the root: the overlay's upper and work dirs, the rootfs
/// mount point, and the /etc files gocker bind-mounts into it.</summary>
public sealed class ContainerFiles(string dir)
{
    public string Dir { get; } = dir;
    public string Upper => $"{Dir}/upper";
    public string Work => $"{Dir}/work";
    public string Rootfs => $"{Dir}/rootfs";
    public string HostnameFile => $"{Dir}/hostname";
    public string HostsFile => $"{Dir}/hosts";
    public string ResolvConfFile => $"{Dir}/resolv.conf";
    public string ConfigFile => $"{Dir}/config.json";
    public string LogFile => $"{Dir}/container.log";

    /// <summary>Slots of a root's spare directory (native/gocker.h, GOCKER_SPARE_SLOTS).</summary>
    public const int SpareSlots = 8;

    /// <param name="hosts">/etc/hosts as the container's network has it; null: localhost and the hostname.</param>
    /// <param name="resolvConf">/etc/resolv.conf; null: the host's, as <see cref="ResolvConf"/> filters it.</param>
    /// <param name="spareDir">Where an --rm container's monitor keeps its directory for the next create
    /// (<see cref="GockerRoot.SpareDir"/>); null: always make a new one.</param>
    public void Create(string hostname, string hostResolvConf = "/etc/resolv.conf", string? hosts = null, string? resolvConf = null,
        string? spareDir = null)
    {
        const UnixFileMode dirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        bool reused = spareDir is not null && TryTakeSpare(spareDir);
        if (!reused)
            Directory.CreateDirectory(Dir, dirMode);
        // The overlay's root directory takes the upper dir's owner and mode: 0755 as an image's / is.
        // Upper and work are always new: overlayfs keeps its own extended attributes in upper and an
        // in-use mark on work (a spare has neither).
        const UnixFileMode rootMode = dirMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
            UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(Upper, rootMode);
        Directory.CreateDirectory(Work, dirMode);
        Directory.CreateDirectory(Rootfs, dirMode);
        if (resolvConf is null)
        {
            string? host = null;
            try { host = SmallFile.ReadAllText(hostResolvConf); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            resolvConf = ResolvConf(host);
        }
        if (reused)
        {
            // Each file written into its spare inode (the monitor emptied them all), then renamed into
            // place. config.json is written by ContainerConfig.Save into its .tmp, which the spare becomes.
            Publish(HostnameFile, hostname + "\n");
            Publish(HostsFile, hosts ?? HostsContent(hostname));
            Publish(ResolvConfFile, resolvConf);
            MoveSpare(LogFile, LogFile);
            MoveSpare(ConfigFile, ConfigFile + ".tmp");
            return;
        }
        SmallFile.WriteAllText(HostnameFile, hostname + "\n");
        SmallFile.WriteAllText(HostsFile, hosts ?? HostsContent(hostname));
        SmallFile.WriteAllText(ResolvConfFile, resolvConf);
    }

    /// <summary>Takes one of the spares that native/recycle.c keeps (the directory of an --rm container,
    /// emptied of what it wrote): one rename instead of a dozen new inodes, each of which costs 0.15 ms
    /// on ext4 without a journal while inodes freed in the last 30 s are around (see recycle.c). Another
    /// create may take the same slot first: the rename fails and the next slot is tried.</summary>
    private bool TryTakeSpare(string spareDir)
    {
        if (!Directory.Exists(spareDir))
            return false;
        for (int k = 0; k < SpareSlots; k++)
            if (Interop.Libc.Rename($"{spareDir}/{k}", Dir) == 0)
                return true;
        return false;
    }

    private static void Publish(string path, string text)
    {
        SmallFile.Overwrite(path + ".spare", text);
        Interop.Libc.Check(Interop.Libc.Rename(path + ".spare", path), $"rename {path}.spare");
    }

    /// <summary>A spare file renamed to <paramref name="to"/>; none (a spare that a sweep had begun to
    /// delete) is made when it is first written, as in a new directory.</summary>
    private static void MoveSpare(string path, string to)
    {
        if (Interop.Libc.Rename(path + ".spare", to) != 0
            && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() is var errno and not Interop.Errno.ENOENT)
            throw new Interop.SyscallException($"rename {path}.spare", errno);
    }

    public static string HostsContent(string hostname) =>
        "127.0.0.1\tlocalhost\n" +
        "::1\tlocalhost ip6-localhost ip6-loopback\n" +
        "fe00::0\tip6-localnet\n" +
        "ff00::0\tip6-mcastprefix\n" +
        "ff02::1\tip6-allnodes\n" +
        "ff02::2\tip6-allrouters\n" +
        $"127.0.1.1\t{hostname}\n";

    /// <summary>The host's resolv.conf without loopback nameservers (a resolver on the host's
    /// 127.0.0.x is unreachable from the container's network namespace); Docker's public fallback when
    /// none is left.</summary>
    public static string ResolvConf(string? host) => Network.EtcFiles.ResolvConf(host, [], [], [], hostNetwork: false);

    /// <summary>Removes the directory (logs included). The overlay was mounted only in the container's
    /// mount namespace, which died with the container, so nothing here is mounted any more.</summary>
    public void Remove()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>Moves the directory into <paramref name="trashDir"/> (one rename: the container is gone
    /// from its place at once) for its monitor to delete after the attached `run --rm` has returned:
    /// on a disk mounted with online discard, deleting a dozen small files and directories waits
    /// for as many discards (1.2 ms here). Returns false if there was nothing to move.</summary>
    public bool MoveToTrash(string trashDir)
    {
        Directory.CreateDirectory(trashDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try { Directory.Move(Dir, $"{trashDir}/{System.IO.Path.GetFileName(Dir)}"); }
        catch (DirectoryNotFoundException) { return false; }
        return true;
    }

    /// <summary>Bytes of regular files under the directory (what removing it frees), symlinks not followed.</summary>
    public long DiskUsage()
    {
        if (!Directory.Exists(Dir))
            return 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        return new DirectoryInfo(Dir).EnumerateFiles("*", options).Where(f => f.LinkTarget is null).Sum(f => f.Length);
    }
}
