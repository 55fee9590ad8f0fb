using System.CommandLine;

namespace Gocker.Cli.Commands;

/// <summary>`gocker create [OPTIONS] IMAGE [COMMAND [ARG...]]`: prints the new container's id.</summary>
internal static class CreateCommand
{
    public static readonly ContainerOptions Options = new();

    public static Command Create()
    {
        var command = new Command("create", "Create a new container (status Created) without starting it");
        Options.AddTo(command);
        command.SetAction(result =>
        {
            Console.WriteLine(Services.Containers(result).Create(Options.Build(result, detach: false)).Id);
            return 0;
        });
        return command;
    }
}
