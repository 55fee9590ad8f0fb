using System.Text.Json.Serialization;

namespace Gocker.Core.Formatting;

/// <summary>Source-generated (trim/AOT-safe) serialization of the inspect model. Property names
/// are the C# names (Docker's PascalCase) unless a [JsonPropertyName] says otherwise.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(List<ContainerInspect>))]
public sealed partial class InspectJsonContext : JsonSerializerContext;
