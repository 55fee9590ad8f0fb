using System.Text.Json.Serialization;

namespace Gocker.Core.Process;

/// <summary>What `gocker exec` hands to its child inside the container (over a memfd).</summary>
public sealed class ExecConfig
{
    public required List<string> Args { get; init; }
    public required List<string> Env { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public bool Tty { get; init; }
    /// <summary>The container's confinement (all capabilities with exec --privileged).</summary>
    public Security.ProcessSecurity? Security { get; init; }
}

[JsonSerializable(typeof(ExecConfig))]
internal sealed partial class ExecJsonContext : JsonSerializerContext;
