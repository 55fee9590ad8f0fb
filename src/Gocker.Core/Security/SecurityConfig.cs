using System.Text.Json.Serialization;

namespace Gocker.Core.Security;

/// <summary>The security flags as typed (run, create).</summary>
public sealed record SecurityFlags
{
    public bool Privileged { get; init; }
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    public IReadOnlyList<string> CapDrop { get; init; } = [];
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];
    public IReadOnlyList<string> Ulimits { get; init; } = [];
}

public enum SeccompMode { Default, Unconfined, Profile }

/// <summary>A container's confinement, validated at create and kept in config.json: every start and every
/// exec applies it. A configuration written before this existed reads as the defaults.</summary>
public sealed class SecurityConfig
{
    public bool Privileged { get; init; }
    /// <summary>As given (normalized), for inspect.</summary>
    public List<string> CapAdd { get; init; } = [];
    public List<string> CapDrop { get; init; } = [];
    /// <summary>The resolved set: bounding, permitted and effective for root.</summary>
    public ulong Capabilities { get; init; } = Security.Capabilities.DockerDefault;
    public bool NoNewPrivileges { get; init; } = true;
    [JsonConverter(typeof(JsonStringEnumConverter<SeccompMode>))]
    public SeccompMode Seccomp { get; init; } = SeccompMode.Default;
    /// <summary>The profile's JSON, read at create (the file may be gone by the next start, as in Docker).</summary>
    public string? SeccompProfile { get; init; }
    /// <summary>Docker's masked and read-only /proc and /sys paths (off with --privileged or
    /// --security-opt systempaths=unconfined).</summary>
    public bool MaskSystemPaths { get; init; } = true;
    public List<Ulimit> Ulimits { get; init; } = [];
    public List<string> SecurityOpt { get; init; } = [];

    public static readonly SecurityConfig Default = new();
}

/// <summary>What the last step before a command's execve applies (native/exec.c), computed by gocker and
/// passed to the container's init (in its plan) and to exec's child.</summary>
public sealed class ProcessSecurity
{
    /// <summary>Leave the capabilities as they are (--privileged: all of gocker's).</summary>
    public bool KeepCapabilities { get; init; }
    public ulong Capabilities { get; init; }
    public bool NoNewPrivileges { get; init; }
    /// <summary>struct sock_filter[], or null for no filter.</summary>
    public byte[]? SeccompFilter { get; init; }
    public List<Ulimit> Ulimits { get; init; } = [];
}
