using System.CommandLine;
using System.Reflection;

namespace Gocker.Cli.Commands;

internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Show the gocker version");
        command.SetAction(_ =>
        {
            var v = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"gocker version {v.Split('+')[0]}");
            return 0;
        });
        return command;
    }
}
