namespace Gocker.Core.Formatting;

/// <summary>A published port: <c>{"HostIp": "0.0.0.0", "HostPort": "8080"}</c>.</summary>
public sealed class InspectPortBinding
{
    public string HostIp { get; set; } = "";
    public string HostPort { get; set; } = "";
}
