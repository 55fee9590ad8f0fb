using System.Text.Json;

namespace Gocker.Core.Images;

/// <summary>The run path's JSON reads, with Utf8JsonReader instead of the serializer: a source-generated
/// context costs about 0.3 ms to set up on its first use in a process (measured with `gocker debug
/// resolve`), twice that for the tags and the config, which `run` would pay on every start.</summary>
internal static class FastJson
{
    /// <summary>repositories.json: {"name:tag": "sha256:...", ...}.</summary>
    public static Dictionary<string, string> ReadTags(ReadOnlySpan<byte> json)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            Expect(ref reader, JsonTokenType.String);
            tags[key] = reader.GetString()!;
        }
        return tags;
    }

    /// <summary>What run takes from an image config: the "config" object's fields and rootfs.diff_ids.</summary>
    public static (ImageRunConfig Run, List<string> DiffIds) ReadRunConfig(ReadOnlySpan<byte> json)
    {
        var run = new ImageRunConfig();
        var diffIds = new List<string>();
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("config"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                    ReadConfigObject(ref reader, run);
                else
                    reader.Skip();
            }
            else if (reader.ValueTextEquals("rootfs"u8))
            {
                Expect(ref reader, JsonTokenType.StartObject);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("diff_ids"u8))
                        diffIds = ReadStrings(ref reader) ?? [];
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return (run, diffIds);
    }

    private static void ReadConfigObject(ref Utf8JsonReader reader, ImageRunConfig run)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Env"u8)) run.Env = ReadStrings(ref reader);
            else if (reader.ValueTextEquals("Cmd"u8)) run.Cmd = ReadStrings(ref reader);
            else if (reader.ValueTextEquals("Entrypoint"u8)) run.Entrypoint = ReadStrings(ref reader);
            else if (reader.ValueTextEquals("WorkingDir"u8)) run.WorkingDir = ReadString(ref reader);
            else if (reader.ValueTextEquals("User"u8)) run.User = ReadString(ref reader);
            else if (reader.ValueTextEquals("StopSignal"u8)) run.StopSignal = ReadString(ref reader);
            else if (reader.ValueTextEquals("ExposedPorts"u8)) run.ExposedPorts = ReadKeys(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"expected a string, found {reader.TokenType}");
        return reader.GetString();
    }

    private static List<string>? ReadStrings(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException($"expected an array, found {reader.TokenType}");
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
                throw new JsonException($"expected a string, found {reader.TokenType}");
            list.Add(reader.GetString()!);
        }
        return list;
    }

    private static Dictionary<string, EmptyObject>? ReadKeys(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"expected an object, found {reader.TokenType}");
        var keys = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            keys[reader.GetString()!] = new EmptyObject();
            reader.Read();
            reader.Skip();
        }
        return keys;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
            throw new JsonException($"expected {type}");
    }

    /// <summary>{"k":"v",...} with keys sorted, as repositories.json is written.</summary>
    public static byte[] WriteTags(Dictionary<string, string> tags)
    {
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            foreach (var (k, v) in tags.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                w.WriteString(k, v);
            w.WriteEndObject();
        }
        return ms.ToArray();
    }
}
