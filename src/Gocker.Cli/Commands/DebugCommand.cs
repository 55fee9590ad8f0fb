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
        var seccomp = new Command("seccomp", "Time the compilation of the default seccomp filter (a cold first build, then the mean of 100)");
        seccomp.SetAction(_ =>
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            int instructions = Gocker.Core.Security.ContainerSecurity.SeccompProgram(Gocker.Core.Security.SecurityConfig.Default)!.Length / Gocker.Core.Security.Seccomp.BpfInstruction.Size;
            var first = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            for (int i = 0; i < 100; i++)
                Gocker.Core.Security.ContainerSecurity.SeccompProgram(Gocker.Core.Security.SecurityConfig.Default);
            Console.WriteLine($"instructions={instructions} first_ms={first:F3} warm_ms={sw.Elapsed.TotalMilliseconds / 100:F3}");
            return 0;
        });
        return new Command("debug", "Internal diagnostics") { Hidden = true, Subcommands = { preinit, seccomp } };
    }
}
