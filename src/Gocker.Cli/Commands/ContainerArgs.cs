using System.CommandLine;
using Gocker.Core;

namespace Gocker.Cli.Commands;

/// <summary>Commands over CONTAINER... run the action for each and report errors per container, as
/// Docker does: the others are still processed, and the exit code is 1 if any failed.</summary>
internal static class ContainerArgs
{
    public static Argument<string[]> Many() => new("CONTAINER") { CustomParser = ManyStrings.Parse, Arity = ArgumentArity.OneOrMore, Description = "Container id, id prefix or name" };

    public static int ForEach(IEnumerable<string> containers, Action<string> action)
    {
        int rc = 0;
        foreach (var c in containers)
        {
            try { action(c); }
            catch (GockerException e)
            {
                Console.Error.WriteLine($"gocker: {e.Message}");
                rc = e.ExitCode == ExitCodes.GockerError ? ExitCodes.CommandFailed : e.ExitCode;
            }
        }
        return rc;
    }
}
