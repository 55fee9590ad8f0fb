namespace Gocker.Core.Formatting;

/// <summary>The "NetworkSettings" object of `docker inspect`.</summary>
public sealed class InspectNetworkSettings
{
    public string SandboxKey { get; set; } = "";

    /// <summary>"80/tcp" → bindings (null for an exposed but unpublished port).</summary>
    public Dictionary<string, List<InspectPortBinding>?> Ports { get; set; } = [];

    public string Gateway { get; set; } = "";
    public string IPAddress { get; set; } = "";
    public int IPPrefixLen { get; set; }
    public string MacAddress { get; set; } = "";
    public Dictionary<string, InspectEndpointSettings> Networks { get; set; } = [];
}
