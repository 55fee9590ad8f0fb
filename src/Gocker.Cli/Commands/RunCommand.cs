using System.CommandLine;
using Gocker.Core.Containers;
using Gocker.Core.Images;

namespace Gocker.Cli.Commands;

/// <summary>`gocker run [OPTIONS] IMAGE [COMMAND [ARG...]]`</summary>
internal static class RunCommand
{
    private static readonly Argument<string> Image = new("IMAGE") { Description = "The image to run" };
    private static readonly Argument<string[]> CommandArgs = new("COMMAND") { Description = "The command and its arguments", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<bool> Interactive = new("--interactive", "-i") { Description = "Keep STDIN open and pass it to the container" };
    private static readonly Option<bool> Tty = new("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
    private static readonly Option<string[]> Env = new("--env", "-e") { Description = "Set an environment variable (KEY=VAL, or KEY to take the host's value)", HelpName = "KEY=VAL", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string[]> EnvFile = new("--env-file") { Description = "Read environment variables from a file", HelpName = "FILE" };
    private static readonly Option<string> Workdir = new("--workdir", "-w") { Description = "Working directory inside the container", HelpName = "DIR" };
    private static readonly Option<string> User = new("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])", HelpName = "USER" };
    private static readonly Option<string> Hostname = new("--hostname", "-h") { Description = "Container host name (default: the short id)", HelpName = "NAME" };
    private static readonly Option<string> Name = new("--name") { Description = "Assign a name to the container" };
    private static readonly Option<bool> Remove = new("--rm") { Description = "Remove the container when it exits" };
    private static readonly Option<bool> Init = new("--init") { Description = "Run an init (gocker-init) as PID 1 that forwards signals and reaps processes" };

    public static Command Create()
    {
        var command = new Command("run", "Create and run a new container from an image")
        {
            Image, CommandArgs, Interactive, Tty, Env, EnvFile, Workdir, User, Hostname, Name, Remove, Init,
        };
        command.SetAction(result =>
        {
            var options = new RunOptions
            {
                Image = result.GetValue(Image)!,
                Command = result.GetValue(CommandArgs) ?? [],
                Interactive = result.GetValue(Interactive),
                Tty = result.GetValue(Tty),
                Env = result.GetValue(Env) ?? [],
                EnvFiles = result.GetValue(EnvFile) ?? [],
                WorkingDir = result.GetValue(Workdir),
                User = result.GetValue(User),
                Hostname = result.GetValue(Hostname),
                Name = result.GetValue(Name),
                Remove = result.GetValue(Remove),
                Init = result.GetValue(Init),
            };
            var service = new ContainerService(GlobalOptions.GetRoot(result), BundledImages.DefaultImagesDir, Environment.GetEnvironmentVariable);
            return service.RunForeground(options);
        });
        return command;
    }

    /// <summary>Everything after IMAGE belongs to the container's command, options included
    /// (`run busybox ls -la`), so a "--" goes right after IMAGE before the real parse. IMAGE is at
    /// args[i] for the shortest prefix args[..i+1] whose parse binds its last token to the IMAGE
    /// argument: the parser itself tells an image from an option's value (`-e FOO busybox`).</summary>
    public static string[] SeparateContainerCommand(Command root, string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--")
                return args;
            var prefix = CommandRunner.Parse(root, args[..(i + 1)]);
            if (prefix.CommandResult.Command.Name != "run" || prefix.Tokens.Count == 0)
                continue;
            var image = prefix.GetResult(Image)?.Tokens;
            if (image is { Count: 1 } && ReferenceEquals(image[0], prefix.Tokens[^1]))
                return i + 1 < args.Length && args[i + 1] == "--" ? args : [.. args[..(i + 1)], "--", .. args[(i + 1)..]];
        }
        return args;
    }
}
