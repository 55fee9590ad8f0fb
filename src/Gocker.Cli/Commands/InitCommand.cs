using System.CommandLine;
using Gocker.Core.Process;

namespace Gocker.Cli.Commands;

/// <summary>`gocker init`: the same as running the binary as gocker-init (hidden; gocker starts it).</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var command = new Command("init", "Container init (internal)") { Hidden = true };
        command.SetAction(_ => ContainerInit.Run());
        return command;
    }
}
