using System.CommandLine;
using Gocker.Core.Containers;

namespace Gocker.Cli.Commands;

/// <summary>`gocker exec [OPTIONS] CONTAINER COMMAND [ARG...]`</summary>
internal static class ExecCommand
{
    public static readonly Argument<string> Container = new("CONTAINER") { Description = "Container id, id prefix or name" };
    private static readonly Argument<string[]> CommandArgs = new("COMMAND") { CustomParser = ManyStrings.Parse, Arity = ArgumentArity.OneOrMore, Description = "The command and its arguments" };

    public static Command Create()
    {
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Keep STDIN open" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
        var detach = new Option<bool>("--detach", "-d") { Description = "Run the command in the background" };
        var env = new Option<string[]>("--env", "-e") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Set environment variables", HelpName = "KEY=VAL" };
        var envFile = new Option<string[]>("--env-file") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Read environment variables from a file", HelpName = "FILE" };
        var workdir = new Option<string>("--workdir", "-w") { Description = "Working directory inside the container", HelpName = "DIR" };
        var user = new Option<string>("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };
        var privileged = new Option<bool>("--privileged") { Description = "Give extended privileges to the command (every capability)" };
        var command = new Command("exec", "Execute a command in a running container")
        {
            Container, CommandArgs, interactive, tty, detach, env, envFile, workdir, user, privileged,
        };
        command.SetAction(r =>
        {
            var options = new ExecOptions
            {
                Container = r.GetValue(Container)!,
                Command = r.GetValue(CommandArgs)!,
                Interactive = r.GetValue(interactive),
                Tty = r.GetValue(tty),
                Detach = r.GetValue(detach),
                Env = r.GetValue(env) ?? [],
                EnvFiles = r.GetValue(envFile) ?? [],
                WorkingDir = r.GetValue(workdir),
                User = r.GetValue(user),
                Privileged = r.GetValue(privileged),
            };
            Console.Out.Flush();
            return new ContainerExec(GlobalOptions.GetRoot(r), Environment.GetEnvironmentVariable).Exec(options);
        });
        return command;
    }
}
