using System.CommandLine;
using Gocker.Core.Containers;

namespace Gocker.Cli.Commands;

/// <summary>pause, unpause, update: through the container's cgroup.</summary>
internal static class ResourceCommands
{
    public static Command Pause() => Simple("pause", "Pause all processes within one or more containers (cgroup freezer)",
        (r, c) => new ContainerResources(GlobalOptions.GetRoot(r)).Pause(c));

    public static Command Unpause() => Simple("unpause", "Unpause all processes within one or more containers",
        (r, c) => new ContainerResources(GlobalOptions.GetRoot(r)).Unpause(c));

    private static Command Simple(string name, string description, Action<ParseResult, string> action)
    {
        var containers = ContainerArgs.Many();
        var command = new Command(name, description) { containers };
        command.SetAction(r => ContainerArgs.ForEach(r.GetValue(containers)!, c => { action(r, c); Console.WriteLine(c); }));
        return command;
    }

    public static Command Update()
    {
        var containers = ContainerArgs.Many();
        var resources = new ResourceOptions();
        var command = new Command("update", "Update the resource limits of one or more containers") { containers };
        resources.AddTo(command);
        command.SetAction(r =>
        {
            var flags = resources.Build(r);
            var service = new ContainerResources(GlobalOptions.GetRoot(r));
            return ContainerArgs.ForEach(r.GetValue(containers)!, c => { service.Update(c, flags); Console.WriteLine(c); });
        });
        return command;
    }
}
