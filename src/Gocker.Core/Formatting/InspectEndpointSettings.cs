namespace Gocker.Core.Formatting;

/// <summary>A value of "NetworkSettings.Networks" in `docker inspect` (e.g. under "bridge").</summary>
public sealed class InspectEndpointSettings
{
    public List<string>? Aliases { get; set; }
    public string MacAddress { get; set; } = "";
    public string NetworkID { get; set; } = "";
    public string EndpointID { get; set; } = "";
    public string Gateway { get; set; } = "";
    public string IPAddress { get; set; } = "";
    public int IPPrefixLen { get; set; }
    public string IPv6Gateway { get; set; } = "";
    public string GlobalIPv6Address { get; set; } = "";
    public int GlobalIPv6PrefixLen { get; set; }
    public List<string>? DNSNames { get; set; }
}
