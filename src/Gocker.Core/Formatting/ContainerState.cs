namespace Gocker.Core.Formatting;

/// <summary>Docker's container states, as `docker ps` and `docker inspect` name them.</summary>
public enum ContainerState
{
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}
