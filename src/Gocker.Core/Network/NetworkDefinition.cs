using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gocker.Core.Network;

/// <summary>A network of one root, kept as &lt;root&gt;/networks/NAME.json: what `network inspect`
/// shows and what a container's start needs (the bridge device, the subnet, the gateway).</summary>
public sealed class NetworkDefinition
{
    /// <summary>The predefined network every container joins unless --network says otherwise.</summary>
    public const string DefaultName = "bridge";

    public required string Name { get; init; }
    /// <summary>64 lowercase hex characters.</summary>
    public required string Id { get; init; }
    /// <summary>Unix time in nanoseconds.</summary>
    public long Created { get; init; }
    public string Driver { get; init; } = "bridge";
    public required string Subnet { get; init; }
    public required string Gateway { get; init; }
    /// <summary>Where container addresses come from, inside the subnet; null: the whole subnet.</summary>
    public string? IPRange { get; init; }
    /// <summary>The bridge device on the host.</summary>
    public required string Bridge { get; init; }
    public Dictionary<string, string> Labels { get; init; } = [];

    [JsonIgnore] public bool IsDefault => Name == DefaultName;
    [JsonIgnore] public Ipv4Cidr SubnetCidr => Ipv4Cidr.Parse(Subnet);
    [JsonIgnore] public Ipv4Address GatewayAddress => Ipv4Address.Parse(Gateway);
    [JsonIgnore] public Ipv4Cidr? RangeCidr => IPRange is null ? null : Ipv4Cidr.Parse(IPRange, "ip-range");

    /// <summary>The owner tag of this network's iptables rules.</summary>
    [JsonIgnore] public string RuleOwner => "n-" + Id[..12];

    public static NetworkDefinition Load(string path)
    {
        var json = File.ReadAllBytes(path);
        try
        {
            return NetworkDefinitionReader.Parse(json);
        }
        catch (JsonException e)
        {
            throw new GockerException($"cannot read network definition {path}: {e.Message}");
        }
    }

    /// <summary>Written to a temporary file and renamed: readers see the old file or the new one.</summary>
    public void Save(string path)
    {
        var tmp = path + ".tmp";
        using (var stream = File.Create(tmp))
            JsonSerializer.Serialize(stream, this, NetworkJsonContext.Default.NetworkDefinition);
        File.Move(tmp, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(NetworkDefinition))]
internal sealed partial class NetworkJsonContext : JsonSerializerContext;
