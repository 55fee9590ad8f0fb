using System.CommandLine;

namespace Gocker.Cli.Commands;

internal static class VersionCommand
{
    /// <summary>The assembly's informational version ("0.1.0+" and the commit), which RootCommand's
    /// --version prints (the build writes it as a constant: see Gocker.Cli.csproj).</summary>
    public static string InformationalVersion => BuildInfo.InformationalVersion;

    public static Command Create()
    {
        var command = new Command("version", "Show the gocker version");
        command.SetAction(_ =>
        {
            Console.WriteLine($"gocker version {InformationalVersion.Split('+')[0]}");
            return 0;
        });
        return command;
    }
}
