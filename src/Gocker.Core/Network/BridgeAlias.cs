namespace Gocker.Core.Network;

/// <summary>
/// The owner of a bridge, written on the device itself as its alias (IFLA_IFALIAS, what `ip -d link`
/// shows after "alias"): "gocker net=NETID12 root=ROOTPATH". Bridges and iptables rules are host-wide
/// while the networks that own them live under a root; a root deleted without `network teardown`
/// leaves them behind, and its rules' tag (a hash of the root's path) cannot be turned back into a
/// path. The alias can: it names the root and the network, and the hash of that path is the tag of
/// the network's rules, so the sweep (<see cref="LeakedBridgeSweep"/>) removes exactly those.
/// The path goes last, so that a path with spaces reads back whole.
/// </summary>
public static class BridgeAlias
{
    private const string Prefix = "gocker net=", RootKey = " root=";
    private const int IdLength = 12;

    /// <summary>The alias of network <paramref name="networkId"/>'s bridge, or null when the root's
    /// path is too long for the kernel's 255 bytes (such a bridge cannot be reclaimed by the sweep).</summary>
    public static string? Format(string rootPath, string networkId)
    {
        var alias = Prefix + networkId[..IdLength] + RootKey + rootPath;
        return System.Text.Encoding.UTF8.GetByteCount(alias) <= Netlink.Rtnl.MaxAliasBytes ? alias : null;
    }

    /// <summary>The root path and 12-hex network id an alias names, or null if it is not one gocker
    /// wrote: the path must be absolute and already in the form <see cref="Containers.GockerRoot"/>
    /// gives it (the one its rules' tag was computed from).</summary>
    public static (string RootPath, string NetworkId12)? Parse(string? alias)
    {
        if (alias is null || !alias.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        var rest = alias.AsSpan(Prefix.Length);
        if (rest.Length < IdLength + RootKey.Length || !rest[IdLength..].StartsWith(RootKey, StringComparison.Ordinal))
            return null;
        var id = rest[..IdLength].ToString();
        var root = rest[(IdLength + RootKey.Length)..].ToString();
        if (!id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')) || !root.StartsWith('/'))
            return null;
        try
        {
            if (new Containers.GockerRoot(root).Path != root)
                return null;
        }
        catch (GockerException) { return null; }
        return (root, id);
    }

    /// <summary>The bridge device gocker names for that network: gk-ID12, or gocker0 for the default root.</summary>
    public static bool NamesBridge(string device, string rootPath, string networkId12) =>
        device == "gk-" + networkId12 ||
        (device == NetworkManager.DefaultBridgeDevice && rootPath == Containers.GockerRoot.DefaultPath);
}
