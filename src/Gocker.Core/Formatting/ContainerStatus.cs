namespace Gocker.Core.Formatting;

/// <summary>The STATUS and STATE columns of `docker ps` (moby's <c>State.String()</c> and
/// <c>State.StateString()</c>).</summary>
public static class ContainerStatus
{
    /// <summary>"Created", "Up 5 seconds", "Up 2 minutes (Paused)", "Exited (3) 2 minutes ago",
    /// "Restarting (1) 5 seconds ago", "Removal In Progress" or "Dead".</summary>
    public static string StatusText(ContainerView v, DateTimeOffset now)
    {
        switch (v.State)
        {
            case ContainerState.Running:
                return "Up " + Since(v.Started, now);
            case ContainerState.Paused:
                return "Up " + Since(v.Started, now) + " (Paused)";
            case ContainerState.Restarting:
                return $"Restarting ({v.ExitCode}) {Since(v.Finished, now)} ago";
            case ContainerState.Removing:
                return "Removal In Progress";
            case ContainerState.Dead:
                return "Dead";
            case ContainerState.Created:
                return "Created";
            case ContainerState.Exited:
            default:
                // moby: never started → "Created"; started but no finish time → "".
                if (v.Started is null || v.Started.Value == default) return "Created";
                if (v.Finished is null || v.Finished.Value == default) return "";
                return $"Exited ({v.ExitCode}) {Since(v.Finished, now)} ago";
        }
    }

    /// <summary>The lower-case state: running, exited, created, paused, dead, restarting, removing.</summary>
    public static string StateText(ContainerState state) => state switch
    {
        ContainerState.Created => "created",
        ContainerState.Running => "running",
        ContainerState.Paused => "paused",
        ContainerState.Restarting => "restarting",
        ContainerState.Removing => "removing",
        ContainerState.Exited => "exited",
        ContainerState.Dead => "dead",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>The inverse of <see cref="StateText"/>; false for anything else (case-sensitive,
    /// as Docker's filters are).</summary>
    public static bool TryParseState(string text, out ContainerState state)
    {
        foreach (var s in AllStates)
        {
            if (StateText(s) == text)
            {
                state = s;
                return true;
            }
        }
        state = default;
        return false;
    }

    private static readonly ContainerState[] AllStates =
    [
        ContainerState.Created, ContainerState.Running, ContainerState.Paused, ContainerState.Restarting,
        ContainerState.Removing, ContainerState.Exited, ContainerState.Dead,
    ];

    private static string Since(DateTimeOffset? t, DateTimeOffset now) =>
        HumanDuration.Format(t is null ? TimeSpan.Zero : now - t.Value);
}
