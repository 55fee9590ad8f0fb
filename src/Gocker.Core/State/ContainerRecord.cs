namespace Gocker.Core.State;

/// <summary>Docker's container states; stored as one byte in the state file, so the values are fixed.</summary>
public enum ContainerStatus : byte
{
    Created = 1,
    Running = 2,
    Paused = 3,
    Restarting = 4,
    Removing = 5,
    Exited = 6,
    Dead = 7,
}

/// <summary>One container as the state file holds it (see <see cref="RecordLayout"/> for the bytes).
/// Strings longer than their field are cut on write at a UTF-8 character boundary, except the name,
/// which is identity and is refused when longer than <see cref="RecordLayout.NameMax"/> bytes.</summary>
public sealed record ContainerRecord
{
    /// <summary>Index in the file, assigned by the store; -1 for a record not stored yet.</summary>
    public int Slot { get; init; } = -1;

    /// <summary>How many times the slot has been written (free or used) as of this record; set by the
    /// store on read, ignored on write (the store takes the on-disk value and adds one).</summary>
    public ulong Generation { get; init; }

    /// <summary>64 lowercase hex characters.</summary>
    public required string Id { get; init; }

    /// <summary>At most 128 bytes of UTF-8, without Docker's leading '/'. Empty: no name.</summary>
    public string Name { get; init; } = "";

    public ContainerStatus Status { get; init; }

    /// <summary>The container init's pid on the host, 0 if none.</summary>
    public int Pid { get; init; }

    /// <summary>/proc/PID/stat field 22 of <see cref="Pid"/>: with the pid, the process identity.</summary>
    public ulong PidStartTime { get; init; }

    /// <summary>The monitor process's pid, 0 if none.</summary>
    public int MonitorPid { get; init; }

    public int ExitCode { get; init; }
    public bool OomKilled { get; init; }

    /// <summary>Unix time in nanoseconds.</summary>
    public long CreatedAt { get; init; }
    public long StartedAt { get; init; }
    public long FinishedAt { get; init; }

    /// <summary>Cut to <see cref="RecordLayout.ImageMax"/> bytes on write.</summary>
    public string Image { get; init; } = "";

    /// <summary>A summary for `ps`; cut to <see cref="RecordLayout.CommandMax"/> bytes on write.</summary>
    public string Command { get; init; } = "";

    /// <summary>A summary for `ps`; cut to <see cref="RecordLayout.PortsMax"/> bytes on write.</summary>
    public string Ports { get; init; } = "";
}
