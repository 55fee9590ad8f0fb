using System.CommandLine;
using Gocker.Core.Logs;

namespace Gocker.Cli.Commands;

/// <summary>`gocker logs [-f] [--tail N] [-t] [--since T] CONTAINER`</summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var container = new Argument<string>("CONTAINER") { Description = "Container id, id prefix or name" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Follow log output until the container ends" };
        var tail = new Option<string>("--tail", "-n") { Description = "Number of lines to show from the end (or \"all\")", DefaultValueFactory = _ => "all" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Show timestamps" };
        var since = new Option<string>("--since") { Description = "Show logs since a timestamp (RFC 3339 or unix) or a relative time (42m)" };
        var command = new Command("logs", "Fetch the logs of a container") { container, follow, tail, timestamps, since };
        command.SetAction(r =>
        {
            var tailText = r.GetValue(tail)!;
            int? tailN = tailText == "all" ? null
                : int.TryParse(tailText, out var n) ? n
                : throw new Gocker.Core.GockerException($"invalid value for --tail: {tailText}");
            var sinceTime = r.GetValue(since) is { } s ? LogsTime.ParseSince(s, DateTimeOffset.UtcNow) : (DateTimeOffset?)null;
            using var stdout = Console.OpenStandardOutput();
            using var stderr = Console.OpenStandardError();
            Services.Containers(r).Logs(r.GetValue(container)!, new LogsOptions(r.GetValue(follow), tailN < 0 ? null : tailN, r.GetValue(timestamps), sinceTime), stdout, stderr);
            return 0;
        });
        return command;
    }
}
