using System.Text.Json.Serialization;

namespace Gocker.Core.Formatting;

/// <summary>The "State" object of `docker inspect`.</summary>
public sealed class InspectState
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string Status { get; set; } = "created";

    public bool Running { get; set; }
    public bool Paused { get; set; }
    public bool Restarting { get; set; }

    [JsonPropertyName("OOMKilled")]
    public bool OomKilled { get; set; }

    public bool Dead { get; set; }
    public int Pid { get; set; }
    public int ExitCode { get; set; }
    public string Error { get; set; } = "";

    /// <summary>RFC 3339 nano; "0001-01-01T00:00:00Z" when never started.</summary>
    public string StartedAt { get; set; } = GoTime.ZeroRfc3339;

    public string FinishedAt { get; set; } = GoTime.ZeroRfc3339;

    /// <summary>The state as moby reports it: a paused or restarting container is also Running.</summary>
    public static InspectState From(ContainerState state, int pid, int exitCode, bool oomKilled,
        DateTimeOffset? started, DateTimeOffset? finished, string error = "") => new()
    {
        Status = ContainerStatus.StateText(state),
        Running = state is ContainerState.Running or ContainerState.Paused or ContainerState.Restarting,
        Paused = state == ContainerState.Paused,
        Restarting = state == ContainerState.Restarting,
        OomKilled = oomKilled,
        Dead = state == ContainerState.Dead,
        Pid = state is ContainerState.Running or ContainerState.Paused ? pid : 0,
        ExitCode = exitCode,
        Error = error,
        StartedAt = GoTime.Rfc3339Nano(started),
        FinishedAt = GoTime.Rfc3339Nano(finished),
    };
}
