using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>What each status allows, in one place (youki's can_start / can_kill / can_delete).</summary>
public static class StatusRules
{
    public static bool CanStart(ContainerStatus s) => s is ContainerStatus.Created or ContainerStatus.Exited;
    public static bool IsRunning(ContainerStatus s) => s is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting;
    public static bool CanKill(ContainerStatus s) => s is ContainerStatus.Running or ContainerStatus.Paused;
}
