using System.CommandLine;
using Gocker.Core.Containers;

namespace Gocker.Cli.Commands;

/// <summary>The options `run` and `create` share (Docker's names), and the RunOptions they build.</summary>
internal sealed class ContainerOptions
{
    public readonly Argument<string> Image = new("IMAGE") { Description = "The image to run" };
    public readonly Argument<string[]> CommandArgs = new("COMMAND") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "The command and its arguments", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<bool> _interactive = new("--interactive", "-i") { Description = "Keep STDIN open and pass it to the container" };
    private readonly Option<bool> _tty = new("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
    private readonly Option<string[]> _env = new("--env", "-e") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Set an environment variable (KEY=VAL, or KEY to take the host's value)", HelpName = "KEY=VAL" };
    private readonly Option<string[]> _envFile = new("--env-file") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Read environment variables from a file", HelpName = "FILE" };
    private readonly Option<string> _workdir = new("--workdir", "-w") { Description = "Working directory inside the container", HelpName = "DIR" };
    private readonly Option<string> _user = new("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])", HelpName = "USER" };
    private readonly Option<string> _hostname = new("--hostname", "-h") { Description = "Container host name (default: the short id)", HelpName = "NAME" };
    private readonly Option<string> _name = new("--name") { Description = "Assign a name to the container" };
    private readonly Option<bool> _remove = new("--rm") { Description = "Remove the container when it exits" };
    private readonly Option<bool> _init = new("--init") { Description = "Run an init (gocker-init) as PID 1 that forwards signals and reaps processes" };
    private readonly Option<string[]> _logOpt = new("--log-opt") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Log options: max-size=SIZE (default 10m), max-file=N (default 3)", HelpName = "OPT=VAL" };
    private readonly Option<string[]> _volume = new("--volume", "-v") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Bind mount a host path (/host:/ctr[:ro]), mount a named volume (NAME:/ctr[:ro]) or an anonymous one (/ctr)", HelpName = "SPEC" };
    private readonly Option<string[]> _mount = new("--mount") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Attach a mount: type=bind|volume|tmpfs,source=..,target=..[,readonly]", HelpName = "SPEC" };
    private readonly Option<string[]> _tmpfs = new("--tmpfs") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Mount a tmpfs: /path[:size=64m,mode=1777,...]", HelpName = "PATH" };
    private readonly Option<bool> _readOnly = new("--read-only") { Description = "Mount the container's root filesystem read-only" };
    private readonly Option<string> _entrypoint = new("--entrypoint") { Description = "Overwrite the default ENTRYPOINT of the image (and drop its CMD)", HelpName = "COMMAND" };
    private readonly Option<string> _stopSignal = new("--stop-signal") { Description = "Signal to stop the container (default: the image's, else SIGTERM)", HelpName = "SIGNAL" };
    public readonly ResourceOptions Resources = new();
    public readonly NetworkOptions Network = new();
    public readonly SecurityOptions Security = new();

    public void AddTo(Command command)
    {
        command.Arguments.Add(Image);
        command.Arguments.Add(CommandArgs);
        foreach (var o in new Option[] { _interactive, _tty, _env, _envFile, _workdir, _user, _hostname, _name, _remove, _init, _logOpt, _volume, _mount, _tmpfs, _readOnly, _entrypoint, _stopSignal })
            command.Options.Add(o);
        Resources.AddTo(command);
        Network.AddTo(command);
        Security.AddTo(command);
    }

    public RunOptions Build(ParseResult r, bool detach) => new()
    {
        Image = r.GetValue(Image)!,
        Command = r.GetValue(CommandArgs) ?? [],
        Interactive = r.GetValue(_interactive),
        Tty = r.GetValue(_tty),
        Env = r.GetValue(_env) ?? [],
        EnvFiles = r.GetValue(_envFile) ?? [],
        WorkingDir = r.GetValue(_workdir),
        User = r.GetValue(_user),
        Hostname = r.GetValue(_hostname),
        Name = r.GetValue(_name),
        Remove = r.GetValue(_remove),
        Init = r.GetValue(_init),
        Detach = detach,
        LogOptions = r.GetValue(_logOpt) ?? [],
        Resources = Resources.Build(r),
        Volumes = r.GetValue(_volume) ?? [],
        Mounts = r.GetValue(_mount) ?? [],
        Tmpfs = r.GetValue(_tmpfs) ?? [],
        ReadOnly = r.GetValue(_readOnly),
        Entrypoint = r.GetValue(_entrypoint),
        StopSignal = r.GetValue(_stopSignal),
        Network = Network.Build(r),
        Security = Security.Build(r),
    };

    /// <summary>Everything after IMAGE belongs to the container's command, options included
    /// (`run busybox ls -la`), so a "--" goes right after IMAGE before the real parse. IMAGE is at
    /// args[i] for the shortest prefix args[..i+1] whose parse binds its last token to an IMAGE
    /// (or exec's CONTAINER) argument: the parser itself tells an image from an option's value (`-e FOO busybox`).</summary>
    public static string[] SeparateContainerCommand(Command root, string[] args, IReadOnlyList<Argument<string>> imageArguments)
    {
        // Every other command (ps, logs...) would pay one parse per argument for nothing.
        // Loops, not SelectMany().OfType().Select(): chained LINQ operators are generic virtual calls,
        // which NativeAOT resolves at run time through its type loader (0.45 ms at the first one).
        var verbs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var argument in imageArguments)
            foreach (var parent in argument.Parents)
                if (parent is Command c)
                    verbs.Add(c.Name);
        if (!Array.Exists(args, verbs.Contains))
            return args;
        // The shortest such prefix ends at the first argument that the whole line binds to IMAGE, so the
        // places holding that value are tried first: usually one parse. Every shorter prefix fails (IMAGE
        // missing), and building its error message sets up System.CommandLine's ResourceManager
        // (reflection over the assembly's attributes, about 1 ms). All prefixes if that finds nothing.
        var whole = CommandRunner.Parse(root, args);
        foreach (var argument in imageArguments)
        {
            if (whole.GetResult(argument)?.Tokens is not { Count: 1 } bound)
                continue;
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--")
                    return args;
                if (args[i] == bound[0].Value && BindsLastToImage(root, args[..(i + 1)], imageArguments))
                    return Separated(args, i);
            }
        }
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--")
                return args;
            if (BindsLastToImage(root, args[..(i + 1)], imageArguments))
                return Separated(args, i);
        }
        return args;
    }

    private static bool BindsLastToImage(Command root, string[] prefixArgs, IReadOnlyList<Argument<string>> imageArguments)
    {
        var prefix = CommandRunner.Parse(root, prefixArgs);
        if (prefix.Tokens.Count == 0)
            return false;
        foreach (var argument in imageArguments)
        {
            var image = prefix.GetResult(argument)?.Tokens;
            if (image is { Count: 1 } && ReferenceEquals(image[0], prefix.Tokens[^1]))
                return true;
        }
        return false;
    }

    /// <summary>args with a "--" after IMAGE (at <paramref name="image"/>), unless one is there already.</summary>
    private static string[] Separated(string[] args, int image) =>
        image + 1 < args.Length && args[image + 1] == "--" ? args : [.. args[..(image + 1)], "--", .. args[(image + 1)..]];
}
