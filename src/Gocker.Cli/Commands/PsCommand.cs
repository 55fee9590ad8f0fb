using System.CommandLine;
using Gocker.Core.Containers;
using Gocker.Core.Formatting;

namespace Gocker.Cli.Commands;

/// <summary>`gocker ps [-a] [-q] [--no-trunc] [-n N|-l] [--filter K=V] [--format F]`</summary>
internal static class PsCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers (default shows just running)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display container IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var last = new Option<int?>("--last", "-n") { Description = "Show n last created containers (includes all states)" };
        var latest = new Option<bool>("--latest", "-l") { Description = "Show the latest created container (includes all states)" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter output (status=, name=, id=, ancestor=, exited=, label=)", HelpName = "KEY=VALUE" };
        var format = new Option<string>("--format") { Description = "table, json, or a Go template ({{.ID}}, {{.Names}}, {{json .}}...)" };
        var command = new Command("ps", "List containers") { all, quiet, noTrunc, last, latest, filter, format };
        command.SetAction(r =>
        {
            var options = new PsOptions { Format = r.GetValue(format), NoTrunc = r.GetValue(noTrunc), Quiet = r.GetValue(quiet) };
            // Parse the filter and the template before touching the store: bad input changes nothing.
            var psFilter = PsFilter.Parse(r.GetValue(filter) ?? []);
            bool direct = psFilter.IsEmpty && PsTableWriter.Supports(options); // the default table or -q: no template
            if (!direct)
                GoTemplate.Parse(TemplateFormat.Prepare(PsTable.ResolveFormat(options.Format, options.Quiet, false)).Text);
            int? n = r.GetValue(latest) ? 1 : r.GetValue(last);
            var queries = new ContainerQueries(GlobalOptions.GetRoot(r));
            var list = new ContainerQueries.ListOptions(r.GetValue(all), n, psFilter);
            using var stdout = Console.OpenStandardOutput();
            // Only differences from now are shown: UTC spares loading the local time zone.
            if (direct && queries.TryWriteTable(list, options, stdout, DateTimeOffset.UtcNow))
                return 0;
            var views = queries.List(list);
            var writer = new StreamWriter(stdout) { AutoFlush = false };
            PsTable.Write(writer, views, DateTimeOffset.Now, options);
            writer.Flush();
            return 0;
        });
        return command;
    }
}
