using System.CommandLine;
using Gocker.Core.Containers;

namespace Gocker.Cli;

internal static class GlobalOptions
{
    public static readonly Option<string> Root = new("--root")
    {
        Description = $"Where all state lives (env GOCKER_ROOT; default {GockerRoot.DefaultPath})",
        Recursive = true,
        HelpName = "DIR",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GOCKER_ROOT") is { Length: > 0 } r ? r : GockerRoot.DefaultPath,
    };

    public static GockerRoot GetRoot(ParseResult result) => new(result.GetValue(Root)!);
}
