using System.CommandLine;
using System.Globalization;
using Gocker.Core.Process;

namespace Gocker.Cli.Commands;

/// <summary>start, stop, kill, rm, wait: thin wrappers over ContainerService.</summary>
internal static class LifecycleCommands
{
    public static Command Start()
    {
        var containers = ContainerArgs.Many();
        var attach = new Option<bool>("--attach", "-a") { Description = "Attach STDOUT/STDERR and forward signals; exit with the container's code" };
        var command = new Command("start", "Start one or more created or stopped containers") { containers, attach };
        command.SetAction(r =>
        {
            var names = r.GetValue(containers)!;
            var service = Services.Containers(r);
            if (r.GetValue(attach))
            {
                if (names.Length > 1)
                    throw new Gocker.Core.GockerException("you cannot start and attach multiple containers at once");
                return service.Start(names[0], attach: true);
            }
            return ContainerArgs.ForEach(names, c => { service.Start(c, attach: false); Console.WriteLine(c); });
        });
        return command;
    }

    public static Command Stop()
    {
        var containers = ContainerArgs.Many();
        var time = new Option<int>("--time", "-t") { Description = "Seconds to wait before killing the container", DefaultValueFactory = _ => 10 };
        var signal = new Option<string>("--signal", "-s") { Description = "Signal to send (default SIGTERM)" };
        var command = new Command("stop", "Stop one or more running containers") { containers, time, signal };
        command.SetAction(r =>
        {
            var sig = r.GetValue(signal) is { } s ? Signals.Parse(s, Gocker.Core.ExitCodes.CommandFailed) : (int?)null;
            var timeout = TimeSpan.FromSeconds(Math.Max(0, r.GetValue(time)));
            var service = Services.Containers(r);
            return ContainerArgs.ForEach(r.GetValue(containers)!, c => { service.Stop(c, sig, timeout); Console.WriteLine(c); });
        });
        return command;
    }

    public static Command Kill()
    {
        var containers = ContainerArgs.Many();
        var signal = new Option<string>("--signal", "-s") { Description = "Signal to send", DefaultValueFactory = _ => "KILL" };
        var command = new Command("kill", "Send a signal (default SIGKILL) to one or more running containers") { containers, signal };
        command.SetAction(r =>
        {
            int sig = Signals.Parse(r.GetValue(signal)!, Gocker.Core.ExitCodes.CommandFailed);
            var service = Services.Containers(r);
            return ContainerArgs.ForEach(r.GetValue(containers)!, c => { service.Kill(c, sig); Console.WriteLine(c); });
        });
        return command;
    }

    public static Command Remove()
    {
        var containers = ContainerArgs.Many();
        var force = new Option<bool>("--force", "-f") { Description = "Kill a running container first" };
        var volumes = new Option<bool>("--volumes", "-v") { Description = "Remove the anonymous volumes of the container" };
        var command = new Command("rm", "Remove one or more containers") { containers, force, volumes };
        command.SetAction(r =>
        {
            var service = Services.Containers(r);
            return ContainerArgs.ForEach(r.GetValue(containers)!, c => { service.Remove(c, r.GetValue(force), r.GetValue(volumes)); Console.WriteLine(c); });
        });
        return command;
    }

    public static Command Wait()
    {
        var containers = ContainerArgs.Many();
        var command = new Command("wait", "Block until one or more containers stop, then print their exit codes") { containers };
        command.SetAction(r =>
        {
            var service = Services.Containers(r);
            return ContainerArgs.ForEach(r.GetValue(containers)!, c => Console.WriteLine(service.Wait(c).ToString(CultureInfo.InvariantCulture)));
        });
        return command;
    }

    /// <summary>Hidden: what the monitor execs when the container's init has ended.</summary>
    public static Command ContainerExited()
    {
        var id = new Argument<string>("ID");
        var status = new Argument<int>("STATUS");
        var command = new Command("container-exited", "Record a container's exit (internal)") { Hidden = true };
        command.Arguments.Add(id);
        command.Arguments.Add(status);
        command.SetAction(r => Services.Containers(r).ContainerExited(r.GetValue(id)!, r.GetValue(status)));
        return command;
    }
}
