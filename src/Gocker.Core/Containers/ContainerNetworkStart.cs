using Gocker.Core.Network;

namespace Gocker.Core.Containers;

/// <summary>One start's network: the endpoint taken before the monitor exists, the veth made once
/// init's pid is known, and the release if the start fails. The netlink socket is opened once
/// for both steps.</summary>
internal sealed class ContainerNetworkStart : IDisposable
{
    private readonly ContainerNetworking? _networking;
    private readonly ContainerConfig _config;
    private readonly ILinks? _links;

    private ContainerNetworkStart(ContainerNetworking? networking, ContainerConfig config, ILinks? links, Endpoint? endpoint)
    {
        _networking = networking;
        _config = config;
        _links = links;
        Endpoint = endpoint;
    }

    public Endpoint? Endpoint { get; }

    /// <summary>For the state record's PORTS column.</summary>
    public string PortsSummary => Endpoint is null ? "" : PublishedPort.Summary(Endpoint.Ports);

    public static ContainerNetworkStart Begin(GockerRoot root, NetworkHost? host, ContainerConfig config, ContainerFiles files)
    {
        if (!config.Network.IsBridged)
            return new ContainerNetworkStart(null, config, null, null);
        var networking = new ContainerNetworking(root, host);
        var links = networking.Networks.Host.Links();
        try
        {
            var start = new ContainerNetworkStart(networking, config, links, networking.Endpoints.Attach(config.Id, config.Network, links)!);
            try
            {
                // init bind-mounts it later, during its setup: written before the monitor starts.
                SmallFile.WriteAllText(files.HostsFile, ContainerNetworking.HostsAtStart(config, start.Endpoint!));
            }
            catch
            {
                // Released as a failed start releases it: a failing release must not hide why the write failed.
                start.ReleaseOwn();
                throw;
            }
            return start;
        }
        catch
        {
            links.Dispose();
            throw;
        }
    }

    /// <summary>Called with init's pid, before its command may start.</summary>
    public void Connect(int initPid) => ContainerEndpoints.Connect(Endpoint!, initPid, _links!);

    /// <summary>The start failed: give back what this start took (not what a later one did).</summary>
    public void ReleaseOwn()
    {
        if (_networking is null)
            return;
        try { _networking.Endpoints.ReleaseOwn(_config.Id, _config.Network); }
        catch (Exception e) when (e is GockerException or IOException) { /* reconciled later */ }
    }

    public void Dispose() => _links?.Dispose();
}
