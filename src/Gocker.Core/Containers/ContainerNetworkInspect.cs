using Gocker.Core.Formatting;
using Gocker.Core.Network;

namespace Gocker.Core.Containers;

/// <summary>The networking parts of `inspect`: HostConfig.NetworkMode and PortBindings (as asked at
/// create), NetworkSettings (as the running container has them: address, gateway, MAC, ports).</summary>
internal static class ContainerNetworkInspect
{
    public static void Fill(InspectHostConfig hc, ContainerNetworkSettings s)
    {
        hc.NetworkMode = s.Mode;
        hc.PortBindings = [];
        foreach (var r in s.PortRequests())
        {
            var key = $"{r.ContainerPort}/{r.Protocol}";
            if (!hc.PortBindings.TryGetValue(key, out var list) || list is null)
                hc.PortBindings[key] = list = [];
            list.Add(new InspectPortBinding
            {
                HostIp = r.HostIp.IsUnspecified ? "" : r.HostIp.ToString(),
                HostPort = r.HostPortFirst == 0 ? "" : r.HostPortFirst == r.HostPortLast ? $"{r.HostPortFirst}" : $"{r.HostPortFirst}-{r.HostPortLast}",
            });
        }
    }

    /// <param name="running">Only a running container has an address (it is released when it ends).</param>
    public static InspectNetworkSettings Settings(GockerRoot root, ContainerConfig c, bool running)
    {
        var ns = new InspectNetworkSettings();
        var endpoint = new InspectEndpointSettings();
        ns.Networks[c.Network.Mode] = endpoint;
        if (!c.Network.IsBridged)
            return ns;
        var networking = new ContainerNetworking(root);
        var network = networking.Networks.Store.TryLoad(c.Network.Mode);
        endpoint.NetworkID = network?.Id ?? "";
        // Docker lists exposed and requested ports with no binding while the container is not running.
        foreach (var (port, proto) in c.Network.Expose.SelectMany(ContainerNetworkSettings.ParseExpose))
            ns.Ports[$"{port}/{proto}"] = null;
        foreach (var r in c.Network.PortRequests())
            ns.Ports[$"{r.ContainerPort}/{r.Protocol}"] = null;
        if (!running || network is null || networking.Endpoints.Find(c.Id, c.Network) is not { } e)
            return ns;
        ns.IPAddress = endpoint.IPAddress = e.Address.ToString();
        ns.IPPrefixLen = endpoint.IPPrefixLen = network.SubnetCidr.PrefixLength;
        ns.Gateway = endpoint.Gateway = network.Gateway;
        ns.MacAddress = endpoint.MacAddress = e.Mac;
        endpoint.EndpointID = EndpointId(c.Id, network.Id);
        endpoint.DNSNames = c.Name.Length > 0 ? [c.Name, ContainerId.Short(c.Id)] : [ContainerId.Short(c.Id)];
        foreach (var p in e.Ports)
        {
            if (!ns.Ports.TryGetValue(p.ContainerKey, out var list) || list is null)
                ns.Ports[p.ContainerKey] = list = [];
            list.Add(new InspectPortBinding { HostIp = p.HostIp.ToString(), HostPort = $"{p.HostPort}" });
        }
        return ns;
    }

    /// <summary>A stable 64-hex id for the container's endpoint on a network (Docker's are random;
    /// gocker keeps no endpoint object, so it derives one).</summary>
    public static string EndpointId(string containerId, string networkId) =>
        string.Concat(Enumerable.Range(0, 4).Select(i => Hashing.Fnv1a.Hash($"{i}:{containerId}:{networkId}").ToString("x16")));
}
