using System.CommandLine;
using Gocker.Core.Containers;

namespace Gocker.Cli.Commands;

/// <summary>`gocker port CONTAINER [PRIVATE_PORT[/PROTO]]`</summary>
internal static class PortCommand
{
    public static Command Create()
    {
        var container = new Argument<string>("CONTAINER") { Description = "Container id, id prefix or name" };
        var port = new Argument<string?>("PRIVATE_PORT") { Arity = ArgumentArity.ZeroOrOne, Description = "A container port, e.g. 80 or 53/udp" };
        var command = new Command("port", "List port mappings or a specific mapping for the container") { container, port };
        command.SetAction(r =>
        {
            try
            {
                foreach (var line in ContainerPortListing.Lines(GlobalOptions.GetRoot(r), r.GetValue(container)!, r.GetValue(port)))
                    Console.WriteLine(line);
                return 0;
            }
            catch (Gocker.Core.GockerException e)
            {
                Console.Error.WriteLine($"gocker: {e.Message}");
                return Gocker.Core.ExitCodes.CommandFailed;
            }
        });
        return command;
    }
}
