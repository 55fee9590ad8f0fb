using System.Text.Json;

namespace Gocker.Core.Network;

/// <summary>
/// Reads NAME.json as JsonSerializer with <see cref="NetworkJsonContext"/> reads it (the file is still
/// written by the serializer), with a Utf8JsonReader instead. Every bridged `create` and `start` reads
/// the network's file, and the serializer's first use in a process sets up its options, converters
/// and metadata: 2.6 ms of `run` on the development VM, for a dozen properties.
/// Same rules as the serializer's defaults: names match exactly, unknown properties are skipped, the
/// last of a repeated property wins, no comments or trailing commas. Stricter in one way: a null
/// where a string is required is an error, not a null the rest of gocker would trip over.
/// </summary>
internal static class NetworkDefinitionReader
{
    public static NetworkDefinition Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        Read(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("a network definition is a JSON object");
        string? name = null, id = null, subnet = null, gateway = null, bridge = null, range = null, driver = null;
        long created = 0;
        Dictionary<string, string>? labels = null;
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
                break;
            if (reader.TokenType != JsonTokenType.PropertyName)
                throw new JsonException("a network definition's property has no name");
            if (reader.ValueTextEquals("Name"u8)) name = NextString(ref reader, "Name");
            else if (reader.ValueTextEquals("Id"u8)) id = NextString(ref reader, "Id");
            else if (reader.ValueTextEquals("Created"u8))
            {
                Read(ref reader);
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out created))
                    throw new JsonException("Created is not a whole number");
            }
            else if (reader.ValueTextEquals("Driver"u8)) driver = NextString(ref reader, "Driver");
            else if (reader.ValueTextEquals("Subnet"u8)) subnet = NextString(ref reader, "Subnet");
            else if (reader.ValueTextEquals("Gateway"u8)) gateway = NextString(ref reader, "Gateway");
            else if (reader.ValueTextEquals("IPRange"u8)) range = NextString(ref reader, "IPRange", nullable: true);
            else if (reader.ValueTextEquals("Bridge"u8)) bridge = NextString(ref reader, "Bridge");
            else if (reader.ValueTextEquals("Labels"u8))
            {
                Read(ref reader);
                labels = ReadLabels(ref reader);
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }
        // The reader throws on anything but whitespace after the object.
        if (reader.Read())
            throw new JsonException("data after the network definition's object");
        return new NetworkDefinition
        {
            Name = name ?? throw Missing("Name"),
            Id = id ?? throw Missing("Id"),
            Created = created,
            Driver = driver ?? "bridge",
            Subnet = subnet ?? throw Missing("Subnet"),
            Gateway = gateway ?? throw Missing("Gateway"),
            IPRange = range,
            Bridge = bridge ?? throw Missing("Bridge"),
            Labels = labels ?? [],
        };
    }

    private static Dictionary<string, string> ReadLabels(ref Utf8JsonReader reader)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.TokenType == JsonTokenType.Null)
            return labels;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("Labels is not an object");
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
                return labels;
            var key = reader.GetString()!;
            labels[key] = NextString(ref reader, $"the label {key}")!;
        }
    }

    /// <summary>The value after a property name: a string (or, if <paramref name="nullable"/>, null).</summary>
    private static string? NextString(ref Utf8JsonReader reader, string what, bool nullable = false)
    {
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString();
        if (nullable && reader.TokenType == JsonTokenType.Null)
            return null;
        throw new JsonException($"{what} is not a string");
    }

    private static void Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
            throw new JsonException("the network definition is cut short");
    }

    private static JsonException Missing(string property) => new($"the network definition has no {property}");
}
