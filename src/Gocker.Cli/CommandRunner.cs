using System.CommandLine;
using Gocker.Cli.Commands;
using Gocker.Core;

namespace Gocker.Cli;

/// <summary>Runs a parsed command line with Docker's error conventions: one line on stderr and exit
/// 125 for a bad command line or any gocker error.</summary>
internal static class CommandRunner
{
    // `@file` would otherwise be expanded from a file: container arguments must arrive as given.
    private static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    public static ParseResult Parse(Command root, IReadOnlyList<string> args) => root.Parse(args, Parser);

    public static int Invoke(Command root, string[] args)
    {
        try
        {
            var result = Parse(root, ContainerOptions.SeparateContainerCommand(root, args, ImageArguments(root)));
            if (result.Errors.Count > 0 && !IsHelp(result))
            {
                var command = result.CommandResult.Command;
                Console.Error.WriteLine($"gocker: {result.Errors[0].Message}");
                Console.Error.WriteLine($"See '{CommandPath(command)} --help'.");
                return ExitCodes.GockerError;
            }
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (GockerException e)
        {
            Console.Error.WriteLine($"gocker: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"gocker: {e.Message}");
            return ExitCodes.GockerError;
        }
        catch (Exception e)
        {
            // A bug in gocker; still one line and Docker's exit code.
            Console.Error.WriteLine($"gocker: internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.GockerError;
        }
    }

    /// <summary>The IMAGE (or exec's CONTAINER) arguments of the commands in the tree: only those, as
    /// touching another command's options would build them.</summary>
    private static List<Argument<string>> ImageArguments(Command root)
    {
        var arguments = new List<Argument<string>>();
        foreach (var c in root.Subcommands)
        {
            if (c.Name == "run")
                arguments.Add(RunCommand.Options.Image);
            else if (c.Name == "create")
                arguments.Add(CreateCommand.Options.Image);
            else if (c.Name == "exec")
                arguments.Add(ExecCommand.Container);
        }
        return arguments;
    }

    private static bool IsHelp(ParseResult r) => r.Tokens.Any(t => t.Value is "--help" or "-h" or "-?") && r.Action is not null && r.Errors.Count == 0;

    private static string CommandPath(Command c)
    {
        var names = new List<string>();
        for (Command? x = c; x is not null; x = x.Parents.OfType<Command>().FirstOrDefault())
            names.Insert(0, x.Parents.Any() ? x.Name : "gocker");
        return string.Join(' ', names);
    }
}
