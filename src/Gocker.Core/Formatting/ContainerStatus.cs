using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>The STATUS and STATE columns of `docker ps` (moby's <c>State.String()</c> and
/// <c>State.StateString()</c>).</summary>
public static class ContainerStatus
{
    /// <summary>Bytes enough for any <see cref="StatusUtf8"/> result.</summary>
    internal const int MaxUtf8Length = 96;

    /// <summary>"Created", "Up 5 seconds", "Up 2 minutes (Paused)", "Exited (3) 2 minutes ago",
    /// "Restarting (1) 5 seconds ago", "Removal In Progress" or "Dead".</summary>
    public static string StatusText(ContainerView v, DateTimeOffset now)
    {
        Span<byte> text = stackalloc byte[MaxUtf8Length];
        return Encoding.ASCII.GetString(text[..StatusUtf8(v.State, v.ExitCode, v.Started, v.Finished, now, text)]);
    }

    /// <summary><see cref="StatusText"/> as ASCII bytes into <paramref name="dest"/> (at least
    /// <see cref="MaxUtf8Length"/> bytes); returns the length. The one implementation of both.</summary>
    internal static int StatusUtf8(ContainerState state, int exitCode, DateTimeOffset? started, DateTimeOffset? finished,
        DateTimeOffset now, Span<byte> dest)
    {
        int n;
        switch (state)
        {
            case ContainerState.Running:
                n = Put(dest, "Up "u8);
                return n + Since(started, now, dest[n..]);
            case ContainerState.Paused:
                n = Put(dest, "Up "u8);
                n += Since(started, now, dest[n..]);
                return n + Put(dest[n..], " (Paused)"u8);
            case ContainerState.Restarting:
                n = Put(dest, "Restarting ("u8);
                return n + ExitedSince(exitCode, finished, now, dest[n..]);
            case ContainerState.Removing:
                return Put(dest, "Removal In Progress"u8);
            case ContainerState.Dead:
                return Put(dest, "Dead"u8);
            case ContainerState.Created:
                return Put(dest, "Created"u8);
            case ContainerState.Exited:
            default:
                // moby: never started → "Created"; started but no finish time → "".
                if (started is null || started.Value == default) return Put(dest, "Created"u8);
                if (finished is null || finished.Value == default) return 0;
                n = Put(dest, "Exited ("u8);
                return n + ExitedSince(exitCode, finished, now, dest[n..]);
        }
    }

    /// <summary>"3) 2 minutes ago".</summary>
    private static int ExitedSince(int exitCode, DateTimeOffset? finished, DateTimeOffset now, Span<byte> dest)
    {
        int n = GoNumber.Format(exitCode, dest);
        n += Put(dest[n..], ") "u8);
        n += Since(finished, now, dest[n..]);
        return n + Put(dest[n..], " ago"u8);
    }

    private static int Put(Span<byte> dest, ReadOnlySpan<byte> text)
    {
        text.CopyTo(dest);
        return text.Length;
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

    private static int Since(DateTimeOffset? t, DateTimeOffset now, Span<byte> dest) =>
        HumanDuration.FormatUtf8(t is null ? TimeSpan.Zero : now - t.Value, dest);
}
