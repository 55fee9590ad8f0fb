using System.CommandLine;
using Gocker.Core.Process;

namespace Gocker.Cli.Commands;

/// <summary>`gocker debug preinit` (hidden): proves that the native constructor is linked in and ran
/// before the runtime, and that its gate variable was gone before managed code could see it.</summary>
internal static class DebugCommand
{
    public static Command Create()
    {
        var preinit = new Command("preinit", "Show what the pre-runtime constructor did");
        preinit.SetAction(_ =>
        {
            var leaked = Environment.GetEnvironmentVariable(Preinit.GateVariable) is not null;
            Console.WriteLine($"preinit={Preinit.Mode} gate-visible={(leaked ? "yes" : "no")}");
            return 0;
        });
        return new Command("debug", "Internal diagnostics") { Hidden = true, Subcommands = { preinit } };
    }
}
