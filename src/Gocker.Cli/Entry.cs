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

        // `gocker --version` alone: what RootCommand's VersionOption prints (the informational version),
        // without the whole command tree that a root with no verb needs (every command's options, the
        // help's ResourceManager): 3.45 -> 2.5 ms exec to exit on a 2-core VM (crun --version: 3.8).
        if (args is ["--version"])
        {
            Console.Out.WriteLine(VersionCommand.InformationalVersion);
            return 0;
        }
        return CommandRunner.Invoke(Tree(args), args);
    }

    /// <summary>Every command, in the order that help lists them.</summary>
    private static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("run", RunCommand.Create),
        ("create", CreateCommand.Create),
        ("start", LifecycleCommands.Start),
        ("stop", LifecycleCommands.Stop),
        ("kill", LifecycleCommands.Kill),
        ("rm", LifecycleCommands.Remove),
        ("wait", LifecycleCommands.Wait),
        ("logs", LogsCommand.Create),
        ("exec", ExecCommand.Create),
        ("ps", PsCommand.Create),
        ("restart", MaintenanceCommands.Restart),
        ("pause", ResourceCommands.Pause),
        ("unpause", ResourceCommands.Unpause),
        ("update", ResourceCommands.Update),
        ("stats", StatsCommand.Create),
        ("rename", MaintenanceCommands.Rename),
        ("container", MaintenanceCommands.Container),
        ("inspect", InspectCommand.Create),
        ("volume", VolumeCommands.Create),
        ("export", ExportCommand.Create),
        ("images", () => ImageCommands.Images()),
        ("import", () => ImageCommands.Import()),
        ("load", () => ImageCommands.Load()),
        ("save", () => ImageCommands.Save()),
        ("tag", () => ImageCommands.Tag()),
        ("rmi", () => ImageCommands.Remove()),
        ("history", () => ImageCommands.History()),
        ("image", ImageCommands.Group),
        ("commit", CommitCommand.Create),
        ("network", NetworkCommand.Create),
        ("port", PortCommand.Create),
        ("container-exited", LifecycleCommands.ContainerExited),
        ("version", VersionCommand.Create),
        ("debug", DebugCommand.Create),
    ];

    /// <summary>A root with only the command that <paramref name="args"/> name: building all of them
    /// with their options cost more than the parse (about 1.5 ms of `run` on a 2-core VM). The whole
    /// tree when there is no verb, an unknown one, or anything but --root before it (help, --version, a
    /// directive, an error), so that what those print is unchanged.</summary>
    internal static Command Tree(IReadOnlyList<string> args)
    {
        if (Verb(args) is { } verb && Array.FindIndex(Commands, c => c.Name == verb) is var i and >= 0)
        {
            var root = MayAskForHelpOrVersion(args) ? NewRootCommand() : new Command(RootCommand.ExecutableName, Description);
            root.Options.Add(GlobalOptions.Root);
            root.Subcommands.Add(Commands[i].Create());
            return root;
        }
        var all = NewRootCommand();
        all.Options.Add(GlobalOptions.Root);
        foreach (var (_, create) in Commands)
            all.Subcommands.Add(create());
        return all;
    }

    private const string Description = "gocker: a small, fast, Docker-compatible container runtime";

    private static RootCommand NewRootCommand()
    {
        var root = new RootCommand(Description);
        // System.CommandLine also takes "/h" and "/?" for help, and splits a token at ':' after a known
        // alias: `-v /h:/data` would print help. Docker knows only -h and --help.
        foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
        {
            help.Aliases.Remove("/h");
            help.Aliases.Remove("/?");
        }
        return root;
    }

    /// <summary>Whether any argument could reach the help or version options that RootCommand adds:
    /// -h, -? (also inside a bundle such as -ith, or with a ":value"), --help, --version. Without one, a
    /// plain Command is the root: RootCommand's HelpOption reads its description through a
    /// ResourceManager, whose set-up (reflection over the assembly's attributes) cost about 1 ms.
    /// Conservative: an -h after IMAGE (`run busybox ls -h`) only costs that millisecond.</summary>
    private static bool MayAskForHelpOrVersion(IReadOnlyList<string> args)
    {
        foreach (var a in args)
        {
            if (a.StartsWith("--help", StringComparison.Ordinal) || a.StartsWith("--version", StringComparison.Ordinal))
                return true;
            if (a.Length > 1 && a[0] == '-' && a[1] != '-' && a.AsSpan(1).IndexOfAny('h', '?') >= 0)
                return true;
        }
        return false;
    }

    /// <summary>The first argument after the global options, or null when something else comes first.</summary>
    private static string? Verb(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == GlobalOptions.Root.Name)
                i++; // its value
            else if (a.StartsWith(GlobalOptions.Root.Name + "=", StringComparison.Ordinal)
                     || a.StartsWith(GlobalOptions.Root.Name + ":", StringComparison.Ordinal))
                continue;
            else
                return a.StartsWith('-') ? null : a;
        }
        return null;
    }
}
