using System.Text.Json.Serialization;

namespace Gocker.Core.Formatting;

/// <summary>An element of "Mounts" in `docker inspect`.</summary>
public sealed class InspectMount
{
    /// <summary>bind, volume or tmpfs.</summary>
    public string Type { get; set; } = "bind";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    public string Source { get; set; } = "";
    public string Destination { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Driver { get; set; }

    public string Mode { get; set; } = "";

    [JsonPropertyName("RW")]
    public bool ReadWrite { get; set; } = true;

    public string Propagation { get; set; } = "rprivate";
}
