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
        if (Path.GetFileName(argv0) == "gocker-init")
            return ContainerInit.Run();

        var root = new RootCommand("gocker: a small, fast, Docker-compatible container runtime");
        root.Options.Add(GlobalOptions.Root);
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(DebugCommand.Create());
        return CommandRunner.Invoke(root, args);
    }
}
