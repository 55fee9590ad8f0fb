using System.Text.Json.Serialization;

namespace Gocker.Core.Security.Seccomp;

/// <summary>Docker's seccomp profile format (`--security-opt seccomp=PROFILE.json`, and the shape of moby's
/// profiles/seccomp/default.json). Unknown properties ("comment") are ignored, as Docker does.</summary>
public sealed class SeccompProfile
{
    [JsonPropertyName("defaultAction")] public string? DefaultAction { get; set; }
    [JsonPropertyName("defaultErrnoRet")] public uint? DefaultErrnoRet { get; set; }
    [JsonPropertyName("architectures")] public List<string>? Architectures { get; set; }
    [JsonPropertyName("archMap")] public List<SeccompArchMap>? ArchMap { get; set; }
    [JsonPropertyName("listenerPath")] public string? ListenerPath { get; set; }
    [JsonPropertyName("flags")] public List<string>? Flags { get; set; }
    [JsonPropertyName("syscalls")] public List<SeccompSyscall>? Syscalls { get; set; }
}

public sealed class SeccompArchMap
{
    [JsonPropertyName("architecture")] public string? Architecture { get; set; }
    [JsonPropertyName("subArchitectures")] public List<string>? SubArchitectures { get; set; }
}

public sealed class SeccompSyscall
{
    /// <summary>The old single-name form.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("names")] public List<string>? Names { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("errnoRet")] public uint? ErrnoRet { get; set; }
    [JsonPropertyName("args")] public List<SeccompArg>? Args { get; set; }
    [JsonPropertyName("includes")] public SeccompScope? Includes { get; set; }
    [JsonPropertyName("excludes")] public SeccompScope? Excludes { get; set; }
}

public sealed class SeccompArg
{
    [JsonPropertyName("index")] public uint Index { get; set; }
    [JsonPropertyName("value")] public ulong Value { get; set; }
    [JsonPropertyName("valueTwo")] public ulong ValueTwo { get; set; }
    [JsonPropertyName("op")] public string? Op { get; set; }
}

/// <summary>When a rule applies: architectures (Go's names: amd64, x86, arm64...), capabilities the container
/// has, the least kernel version.</summary>
public sealed class SeccompScope
{
    [JsonPropertyName("arches")] public List<string>? Arches { get; set; }
    [JsonPropertyName("caps")] public List<string>? Caps { get; set; }
    [JsonPropertyName("minKernel")] public string? MinKernel { get; set; }
}

// Profiles are only read: metadata only, no serialization code in the binary.
[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(SeccompProfile))]
internal sealed partial class SeccompJsonContext : JsonSerializerContext;
