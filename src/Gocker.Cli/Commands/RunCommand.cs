using System.CommandLine;

namespace Gocker.Cli.Commands;

/// <summary>`gocker run [OPTIONS] IMAGE [COMMAND [ARG...]]`</summary>
internal static class RunCommand
{
    public static readonly ContainerOptions Options = new();
    private static readonly Option<bool> Detach = new("--detach", "-d") { Description = "Run in the background and print the container id" };

    public static Command Create()
    {
        var command = new Command("run", "Create and run a new container from an image") { Detach };
        Options.AddTo(command);
        command.SetAction(result =>
        {
            var detach = result.GetValue(Detach);
            var options = Options.Build(result, detach);
            var service = Services.Containers(result);
            if (!detach)
                return service.RunForeground(options);
            Console.WriteLine(service.RunDetached(options));
            return 0;
        });
        return command;
    }
}
