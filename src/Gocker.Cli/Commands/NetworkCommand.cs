using System.CommandLine;
using Gocker.Core;
using Gocker.Core.Network;

namespace Gocker.Cli.Commands;

/// <summary>`gocker network create|ls|rm|inspect|prune|teardown`.</summary>
internal static class NetworkCommand
{
    public static Command Create()
    {
        var network = new Command("network", "Manage networks");
        network.Subcommands.Add(CreateNetwork());
        network.Subcommands.Add(List());
        network.Subcommands.Add(Remove());
        network.Subcommands.Add(Inspect());
        network.Subcommands.Add(Prune());
        network.Subcommands.Add(Teardown());
        return network;
    }

    private static NetworkService Service(ParseResult r) => new(GlobalOptions.GetRoot(r));

    private static Command CreateNetwork()
    {
        var name = new Argument<string>("NETWORK") { Description = "The new network's name" };
        var driver = new Option<string>("--driver", "-d") { Description = "Driver to manage the network (bridge only)", DefaultValueFactory = _ => "bridge" };
        var subnet = new Option<string>("--subnet") { Description = "Subnet in CIDR format (default: a free one of 172.17-31.0.0/16, 192.168.0.0/20...)", HelpName = "CIDR" };
        var gateway = new Option<string>("--gateway") { Description = "IPv4 gateway of the subnet (default: its first address)", HelpName = "IP" };
        var ipRange = new Option<string>("--ip-range") { Description = "Allocate container addresses from a sub-range", HelpName = "CIDR" };
        var label = new Option<string[]>("--label") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Set metadata on the network", HelpName = "KEY=VALUE" };
        var command = new Command("create", "Create a network") { name, driver, subnet, gateway, ipRange, label };
        command.SetAction(r =>
        {
            Console.WriteLine(Service(r).Create(new NetworkCreateOptions
            {
                Name = r.GetValue(name)!,
                Driver = r.GetValue(driver)!,
                Subnet = r.GetValue(subnet),
                Gateway = r.GetValue(gateway),
                IPRange = r.GetValue(ipRange),
                Labels = r.GetValue(label) ?? [],
            }));
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display network IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Do not truncate the output" };
        var filter = new Option<string[]>("--filter", "-f") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Filter output (name=, id=, driver=, label=, type=custom|builtin)", HelpName = "KEY=VALUE" };
        var format = new Option<string>("--format") { Description = "table, json, or a Go template ({{.ID}}, {{.Name}}, {{json .}}...)" };
        var command = new Command("ls", "List networks") { quiet, noTrunc, filter, format };
        command.Aliases.Add("list");
        command.SetAction(r =>
        {
            Console.Out.Write(Service(r).List(r.GetValue(filter) ?? [], r.GetValue(format), r.GetValue(quiet), r.GetValue(noTrunc)));
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var names = new Argument<string[]>("NETWORK") { CustomParser = ManyStrings.Parse, Arity = ArgumentArity.OneOrMore, Description = "Network name or id" };
        var command = new Command("rm", "Remove one or more networks (refused while a container uses them)") { names };
        command.Aliases.Add("remove");
        command.SetAction(r =>
        {
            var service = Service(r);
            return ContainerArgs.ForEach(r.GetValue(names)!, n => { service.Remove(n); Console.WriteLine(n); });
        });
        return command;
    }

    private static Command Inspect()
    {
        var names = new Argument<string[]>("NETWORK") { CustomParser = ManyStrings.Parse, Arity = ArgumentArity.OneOrMore, Description = "Network name or id" };
        var format = new Option<string>("--format", "-f") { Description = "Format the output using a Go template" };
        var command = new Command("inspect", "Display detailed information on one or more networks") { names, format };
        command.SetAction(r =>
        {
            var (output, missing) = Service(r).Inspect(r.GetValue(names)!, r.GetValue(format));
            Console.Out.Write(output);
            foreach (var m in missing)
                Console.Error.WriteLine($"gocker: network {m} not found");
            return missing.Count > 0 ? ExitCodes.CommandFailed : 0;
        });
        return command;
    }

    private static Command Prune()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var command = new Command("prune", "Remove all unused user networks") { force };
        command.SetAction(r =>
        {
            if (!r.GetValue(force))
            {
                Console.Write("WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ");
                if (Console.ReadLine()?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                    return 0;
            }
            var removed = Service(r).Prune();
            if (removed.Count > 0)
            {
                Console.WriteLine("Deleted Networks:");
                foreach (var n in removed)
                    Console.WriteLine(n);
            }
            return 0;
        });
        return command;
    }

    private static Command Teardown()
    {
        var command = new Command("teardown",
            "Remove every network of this root, the default bridge included, with their bridges and iptables rules (gocker only; refused while a container runs)");
        command.SetAction(r =>
        {
            foreach (var n in Service(r).Teardown())
                Console.WriteLine(n);
            return 0;
        });
        return command;
    }
}
