using System.CommandLine;

namespace Gocker.Cli.Commands;

/// <summary>restart, rename, container prune.</summary>
internal static class MaintenanceCommands
{
    public static Command Restart()
    {
        var containers = ContainerArgs.Many();
        var time = new Option<int>("--time", "-t") { Description = "Seconds to wait for stop before killing the container", DefaultValueFactory = _ => 10 };
        var command = new Command("restart", "Restart one or more containers") { containers, time };
        command.SetAction(r =>
        {
            var service = Services.Containers(r);
            var timeout = TimeSpan.FromSeconds(Math.Max(0, r.GetValue(time)));
            return ContainerArgs.ForEach(r.GetValue(containers)!, c => { service.Restart(c, timeout); Console.WriteLine(c); });
        });
        return command;
    }

    public static Command Rename()
    {
        var container = new Argument<string>("CONTAINER");
        var newName = new Argument<string>("NEW_NAME");
        var command = new Command("rename", "Rename a container") { container, newName };
        command.SetAction(r =>
        {
            Services.Containers(r).Rename(r.GetValue(container)!, r.GetValue(newName)!);
            return 0;
        });
        return command;
    }

    public static Command Container()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var prune = new Command("prune", "Remove all stopped containers") { force };
        prune.SetAction(r =>
        {
            if (!r.GetValue(force))
            {
                Console.Write("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
                var answer = Console.ReadLine()?.Trim().ToLowerInvariant();
                if (answer is not ("y" or "yes"))
                    return 0;
            }
            var (removed, bytes) = Services.Containers(r).Prune();
            if (removed.Count > 0)
            {
                Console.WriteLine("Deleted Containers:");
                foreach (var id in removed)
                    Console.WriteLine(id);
                Console.WriteLine();
            }
            Console.WriteLine($"Total reclaimed space: {Gocker.Core.Formatting.PsFields.HumanSize(bytes)}");
            return 0;
        });
        return new Command("container", "Manage containers") { Subcommands = { prune } };
    }
}
