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
        var file = new Argument<string>("FILE");
        var sha256 = new Command("sha256", "SHA-256 of a file with the managed implementation, and its speed") { file };
        sha256.SetAction(r =>
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using var input = File.OpenRead(r.GetValue(file)!);
            var sha = new Gocker.Core.Images.Sha256();
            var buffer = new byte[1 << 20];
            long total = 0;
            int n;
            while ((n = input.Read(buffer)) > 0)
            {
                sha.Append(buffer.AsSpan(0, n));
                total += n;
            }
            var digest = sha.GetDigestAndReset();
            var seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"{digest} {total} bytes {seconds:F3} s {total / seconds / 1e6:F0} MB/s");
            return 0;
        });
        var image = new Argument<string>("IMAGE");
        var resolve = new Command("resolve", "Time an image lookup (the run path's), cold and warm") { image };
        resolve.SetAction(r =>
        {
            var store = new Gocker.Core.Images.ImageStore(GlobalOptions.GetRoot(r));
            for (int i = 0; i < 3; i++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var tags = store.ReadTags();
                var t1 = watch.Elapsed.TotalMicroseconds;
                var found = store.TryResolve(r.GetValue(image)!, tags);
                Console.WriteLine($"tags {t1:F0} us, resolve {watch.Elapsed.TotalMicroseconds - t1:F0} us: {found?.Id}");
            }
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
        return new Command("debug", "Internal diagnostics") { Hidden = true, Subcommands = { preinit, sha256, resolve, seccomp } };
    }
}
