using System.CommandLine;
using Gocker.Core.Containers;
using Gocker.Core.Process;

namespace Gocker.Cli.Commands;

/// <summary>`gocker stats [--no-stream] [--format F] [CONTAINER...]`</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var containers = new Argument<string[]>("CONTAINER") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Arity = ArgumentArity.ZeroOrMore, Description = "Containers (default: all running)" };
        var noStream = new Option<bool>("--no-stream") { Description = "Print one reading and exit" };
        var format = new Option<string>("--format") { Description = "table or a Go template ({{.Name}}, {{.CPUPerc}}, {{.MemUsage}}, {{.MemPerc}}, {{.PIDs}})" };
        var command = new Command("stats", "Display a live stream of container resource usage") { containers, noStream, format };
        command.SetAction(r =>
        {
            var stats = new ContainerStats(GlobalOptions.GetRoot(r));
            var ids = stats.Resolve(r.GetValue(containers) ?? []);
            bool live = !r.GetValue(noStream) && Terminal.IsTerminal(1);
            do
            {
                var table = stats.Sample(ids, r.GetValue(format), TimeSpan.FromMilliseconds(live ? 1000 : 500));
                // Live: redraw in place, as Docker does on a terminal.
                Console.Out.Write(live ? "\u001b[2J\u001b[H" + table : table);
                Console.Out.Flush();
            } while (live);
            return 0;
        });
        return command;
    }
}
