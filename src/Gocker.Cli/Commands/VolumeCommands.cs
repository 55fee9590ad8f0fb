using System.CommandLine;
using Gocker.Core;
using Gocker.Core.Formatting;
using Gocker.Core.Volumes;

namespace Gocker.Cli.Commands;

/// <summary>`gocker volume create|ls|inspect|rm|prune`.</summary>
internal static class VolumeCommands
{
    public static Command Create()
    {
        var command = new Command("volume", "Manage volumes");
        command.Subcommands.Add(CreateVolume());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Inspect());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(Prune());
        return command;
    }

    private static VolumeService Service(ParseResult r) => new(GlobalOptions.GetRoot(r));

    private static Command CreateVolume()
    {
        var name = new Argument<string?>("VOLUME") { Arity = ArgumentArity.ZeroOrOne, Description = "The volume's name (default: a random one)" };
        var label = new Option<string[]>("--label") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Set metadata on the volume", HelpName = "KEY=VALUE" };
        var driver = new Option<string>("--driver", "-d") { Description = "Volume driver (only local)", DefaultValueFactory = _ => "local" };
        var opt = new Option<string[]>("--opt", "-o") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Driver options (not supported: local volumes are plain directories)" };
        var command = new Command("create", "Create a volume") { name, label, driver, opt };
        command.SetAction(r =>
        {
            if (r.GetValue(driver) != "local")
                throw new GockerException($"create: volume driver {r.GetValue(driver)} is not supported by gocker (only local)", ExitCodes.CommandFailed);
            if (r.GetValue(opt) is { Length: > 0 })
                throw new GockerException("create: driver options (-o) are not supported by gocker: local volumes are plain directories", ExitCodes.CommandFailed);
            Console.WriteLine(Service(r).Create(r.GetValue(name), r.GetValue(label) ?? []));
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display volume names" };
        var format = new Option<string>("--format") { Description = "table, json, or a Go template ({{.Name}}, {{.Driver}}, {{.Mountpoint}}...)" };
        var command = new Command("ls", "List volumes") { quiet, format };
        command.Aliases.Add("list");
        command.SetAction(r =>
        {
            var fmt = r.GetValue(format);
            var template = string.IsNullOrEmpty(fmt) || fmt == TemplateFormat.TableKey
                ? (r.GetValue(quiet) ? "{{.Name}}" : "table {{.Driver}}\t{{.Name}}")
                : r.GetValue(quiet) ? "{{.Name}}" : fmt;
            GoTemplate.Parse(TemplateFormat.Prepare(template).Text); // a bad template fails before anything is read
            var service = Service(r);
            Console.Out.Write(TemplateTable.Render(template, VolumeService.Headers, service.List().Select(service.Row)));
            return 0;
        });
        return command;
    }

    private static Command Inspect()
    {
        var names = new Argument<string[]>("VOLUME") { CustomParser = ManyStrings.Parse, Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Format the output using a Go template" };
        var command = new Command("inspect", "Display detailed information on one or more volumes") { names, format };
        command.SetAction(r =>
        {
            var fmt = r.GetValue(format);
            if (!string.IsNullOrEmpty(fmt) && fmt != TemplateFormat.JsonKey)
                GoTemplate.Parse(fmt);
            var service = Service(r);
            var found = new List<System.Text.Json.JsonElement>();
            int rc = ContainerArgs.ForEach(r.GetValue(names)!, n => found.Add(service.Inspect(n)));
            if (found.Count > 0 || string.IsNullOrEmpty(fmt))
                Console.Out.Write(InspectWriter.Render(found, fmt));
            return rc;
        });
        return command;
    }

    private static Command Remove()
    {
        var names = new Argument<string[]>("VOLUME") { CustomParser = ManyStrings.Parse, Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Do not fail on a volume that does not exist" };
        var command = new Command("rm", "Remove one or more volumes (refused while a container uses one)") { names, force };
        command.Aliases.Add("remove");
        command.SetAction(r =>
        {
            var service = Service(r);
            return ContainerArgs.ForEach(r.GetValue(names)!, n => { service.Remove(n, r.GetValue(force)); Console.WriteLine(n); });
        });
        return command;
    }

    private static Command Prune()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused volumes, not just anonymous ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var command = new Command("prune", "Remove unused anonymous volumes (all unused volumes with -a)") { all, force };
        command.SetAction(r =>
        {
            if (!r.GetValue(force))
            {
                Console.Write(r.GetValue(all)
                    ? "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] "
                    : "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ");
                var answer = Console.ReadLine()?.Trim().ToLowerInvariant();
                if (answer is not ("y" or "yes"))
                    return 0;
            }
            var (removed, bytes) = Service(r).Prune(r.GetValue(all));
            if (removed.Count > 0)
            {
                Console.WriteLine("Deleted Volumes:");
                foreach (var name in removed)
                    Console.WriteLine(name);
                Console.WriteLine();
            }
            Console.WriteLine($"Total reclaimed space: {PsFields.HumanSize(bytes)}");
            return 0;
        });
        return command;
    }
}
