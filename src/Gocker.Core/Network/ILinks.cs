namespace Gocker.Core.Network;

/// <summary>The network devices of one network namespace, as gocker changes them (rtnetlink in
/// <see cref="Netlink.RtnetlinkLinks"/>; a recording fake in the unit tests).</summary>
public interface ILinks : IDisposable
{
    /// <summary>The device's index and whether it is up, or null if there is no such device.</summary>
    LinkState? Find(string name);

    /// <summary>Creates a bridge (down); returns its index.</summary>
    int CreateBridge(string name);

    void AddAddress(int index, Ipv4Address address, int prefixLength);
    void SetUp(int index);

    /// <summary>A veth pair: <paramref name="hostName"/> here, enslaved to the bridge and up;
    /// <paramref name="peerName"/> (down) inside the network namespace of process <paramref name="peerNetnsPid"/>.</summary>
    void CreateVeth(string hostName, int bridgeIndex, string peerName, int peerNetnsPid, byte[] peerMac);

    /// <summary>Deletes a device; false if it did not exist.</summary>
    bool Delete(string name);

    IReadOnlyList<string> Names();

    /// <summary>Every device of the namespace with its kind, master and alias: one dump.</summary>
    IReadOnlyList<LinkInfo> List();

    /// <summary>Sets the device's alias (IFLA_IFALIAS, `ip link set DEV alias A`): at most 255 bytes.</summary>
    void SetAlias(int index, string alias);
}

public readonly record struct LinkState(int Index, bool Up);

/// <summary>A device as a dump lists it: <paramref name="Kind"/> is the driver ("bridge", "veth"; null
/// for a physical device), <paramref name="Master"/> the index of the bridge it is enslaved to (0:
/// none), <paramref name="Alias"/> its IFLA_IFALIAS (null: none).</summary>
public sealed record LinkInfo(string Name, int Index, string? Kind, int Master, string? Alias);
