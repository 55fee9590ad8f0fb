using System.CommandLine;
using Gocker.Core.Network;

namespace Gocker.Cli.Commands;

/// <summary>Docker's networking flags of run and create, passed on as given (the core checks them).</summary>
internal sealed class NetworkOptions
{
    private readonly Option<string> _network = new("--network", "--net") { Description = "Connect the container to a network: bridge (default), none, host, or a network's name", HelpName = "NETWORK" };
    private readonly Option<string> _ip = new("--ip") { Description = "IPv4 address on a user network (e.g. 172.30.100.104)", HelpName = "ADDRESS" };
    private readonly Option<string[]> _publish = new("--publish", "-p") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Publish a container's port to the host: [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|/udp], ranges allowed", HelpName = "SPEC" };
    private readonly Option<string[]> _expose = new("--expose") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Expose a port or a range of ports (published by -P)", HelpName = "PORT[/PROTO]" };
    private readonly Option<bool> _publishAll = new("--publish-all", "-P") { Description = "Publish all exposed ports to free host ports" };
    private readonly Option<string[]> _addHost = new("--add-host") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Add a host-to-IP mapping to /etc/hosts (NAME:IP; IP may be host-gateway)", HelpName = "NAME:IP" };
    private readonly Option<string[]> _dns = new("--dns") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Set a custom DNS server", HelpName = "IP" };
    private readonly Option<string[]> _dnsSearch = new("--dns-search") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Set a custom DNS search domain", HelpName = "DOMAIN" };
    private readonly Option<string[]> _dnsOption = new("--dns-option") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Set a DNS resolver option", HelpName = "OPTION" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _network, _ip, _publish, _expose, _publishAll, _addHost, _dns, _dnsSearch, _dnsOption })
            command.Options.Add(o);
    }

    public NetworkFlags Build(ParseResult r) => new()
    {
        Network = r.GetValue(_network),
        Ip = r.GetValue(_ip),
        Publish = r.GetValue(_publish) ?? [],
        Expose = r.GetValue(_expose) ?? [],
        PublishAll = r.GetValue(_publishAll),
        AddHosts = r.GetValue(_addHost) ?? [],
        Dns = r.GetValue(_dns) ?? [],
        DnsSearch = r.GetValue(_dnsSearch) ?? [],
        DnsOptions = r.GetValue(_dnsOption) ?? [],
    };
}
