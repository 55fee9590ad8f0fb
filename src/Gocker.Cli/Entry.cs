using System.CommandLine;
using Gocker.Cli.Commands;
using Gocker.Core;
using Gocker.Core.Process;

namespace Gocker.Cli;

internal static class Entry
{
    public static int Run(string[] args)
    {
        var argv0 = Environment.GetCommandLineArgs()[0];
        // The container's init runs in the monitor's clone child (native/init.c) and this binary runs as
        // gocker-init only as the --init reaper, from the pre-runtime constructor: never up to here.
        if (Path.GetFileName(argv0) == "gocker-init")
        {
            Console.Error.WriteLine("gocker-init: runs only as a container's init, started by gocker (gocker run --init)");
            return ExitCodes.GockerError;
        }
        // The child of `gocker exec`: the constructor already joined the container's namespaces.
        if (Preinit.Mode is Preinit.ExecChild or Preinit.ExecChildDetached)
            return ExecInit.Run(Console.Error, detached: Preinit.Mode == Preinit.ExecChildDetached);

        var root = new RootCommand("gocker: a small, fast, Docker-compatible container runtime");
        root.Options.Add(GlobalOptions.Root);
        // System.CommandLine also takes "/h" and "/?" for help, and splits a token at ':' after a known
        // alias: `-v /h:/data` would print help. Docker knows only -h and --help.
        foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
        {
            help.Aliases.Remove("/h");
            help.Aliases.Remove("/?");
        }
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(CreateCommand.Create());
        root.Subcommands.Add(LifecycleCommands.Start());
        root.Subcommands.Add(LifecycleCommands.Stop());
        root.Subcommands.Add(LifecycleCommands.Kill());
        root.Subcommands.Add(LifecycleCommands.Remove());
        root.Subcommands.Add(LifecycleCommands.Wait());
        root.Subcommands.Add(LogsCommand.Create());
        root.Subcommands.Add(ExecCommand.Create());
        root.Subcommands.Add(PsCommand.Create());
        root.Subcommands.Add(MaintenanceCommands.Restart());
        root.Subcommands.Add(ResourceCommands.Pause());
        root.Subcommands.Add(ResourceCommands.Unpause());
        root.Subcommands.Add(ResourceCommands.Update());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(MaintenanceCommands.Rename());
        root.Subcommands.Add(MaintenanceCommands.Container());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(VolumeCommands.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ImageCommands.Images());
        root.Subcommands.Add(ImageCommands.Import());
        root.Subcommands.Add(ImageCommands.Load());
        root.Subcommands.Add(ImageCommands.Save());
        root.Subcommands.Add(ImageCommands.Tag());
        root.Subcommands.Add(ImageCommands.Remove());
        root.Subcommands.Add(ImageCommands.History());
        root.Subcommands.Add(ImageCommands.Group());
        root.Subcommands.Add(CommitCommand.Create());
        root.Subcommands.Add(NetworkCommand.Create());
        root.Subcommands.Add(PortCommand.Create());
        root.Subcommands.Add(LifecycleCommands.ContainerExited());
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(DebugCommand.Create());
        return CommandRunner.Invoke(root, args);
    }
}
