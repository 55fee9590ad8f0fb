using System.Text.Json.Serialization;

namespace Gocker.Core.Network;

/// <summary>One element of `docker network inspect` (moby's network.Inspect, the fields gocker has).</summary>
public sealed class NetworkInspect
{
    public string Name { get; set; } = "";
    public string Id { get; set; } = "";
    public string Created { get; set; } = "";
    public string Scope { get; set; } = "local";
    public string Driver { get; set; } = "";
    public bool EnableIPv4 { get; set; } = true;
    public bool EnableIPv6 { get; set; }
    public NetworkIpam IPAM { get; set; } = new();
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool Ingress { get; set; }
    public NetworkConfigFrom ConfigFrom { get; set; } = new();
    public bool ConfigOnly { get; set; }
    public Dictionary<string, NetworkContainer> Containers { get; set; } = [];
    public Dictionary<string, string> Options { get; set; } = [];
    public Dictionary<string, string> Labels { get; set; } = [];
}

public sealed class NetworkIpam
{
    public string Driver { get; set; } = "default";
    public Dictionary<string, string>? Options { get; set; }
    public List<NetworkIpamConfig> Config { get; set; } = [];
}

public sealed class NetworkIpamConfig
{
    public string Subnet { get; set; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? IPRange { get; set; }
    public string Gateway { get; set; } = "";
}

public sealed class NetworkConfigFrom
{
    public string Network { get; set; } = "";
}

public sealed class NetworkContainer
{
    public string Name { get; set; } = "";
    public string EndpointID { get; set; } = "";
    public string MacAddress { get; set; } = "";
    public string IPv4Address { get; set; } = "";
    public string IPv6Address { get; set; } = "";
}

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(NetworkInspect))]
public sealed partial class NetworkInspectJsonContext : JsonSerializerContext;
