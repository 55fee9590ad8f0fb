using System.CommandLine;
using Gocker.Core.Containers;

namespace Gocker.Cli.Commands;

/// <summary>Docker's resource flags (run, create, update), passed on as given: the core validates them
/// against the host before anything is created.</summary>
internal sealed class ResourceOptions
{
    private readonly Option<string> _memory = new("--memory", "-m") { Description = "Memory limit (b, k, m, g)", HelpName = "SIZE" };
    private readonly Option<string> _memorySwap = new("--memory-swap") { Description = "Memory plus swap limit; -1 for unlimited swap", HelpName = "SIZE" };
    private readonly Option<string> _memoryReservation = new("--memory-reservation") { Description = "Memory soft limit", HelpName = "SIZE" };
    private readonly Option<string> _cpus = new("--cpus") { Description = "Number of CPUs (a CFS quota over a 100 ms period)", HelpName = "N" };
    private readonly Option<string> _cpuShares = new("--cpu-shares", "-c") { Description = "CPU shares (relative weight)", HelpName = "N" };
    private readonly Option<string> _cpusetCpus = new("--cpuset-cpus") { Description = "CPUs in which to allow execution (0-3, 0,1)", HelpName = "LIST" };
    private readonly Option<string> _cpusetMems = new("--cpuset-mems") { Description = "Memory nodes in which to allow execution (0-3, 0,1)", HelpName = "LIST" };
    private readonly Option<string> _pidsLimit = new("--pids-limit") { Description = "Tune container pids limit (-1 for unlimited)", HelpName = "N" };
    private readonly Option<bool> _oomKillDisable = new("--oom-kill-disable") { Description = "Disable the OOM killer (only with a memory limit)" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _memory, _memorySwap, _memoryReservation, _cpus, _cpuShares, _cpusetCpus, _cpusetMems, _pidsLimit, _oomKillDisable })
            command.Options.Add(o);
    }

    public ResourceFlags Build(ParseResult r) => new()
    {
        Memory = r.GetValue(_memory),
        MemorySwap = r.GetValue(_memorySwap),
        MemoryReservation = r.GetValue(_memoryReservation),
        Cpus = r.GetValue(_cpus),
        CpuShares = r.GetValue(_cpuShares),
        CpusetCpus = r.GetValue(_cpusetCpus),
        CpusetMems = r.GetValue(_cpusetMems),
        PidsLimit = r.GetValue(_pidsLimit),
        OomKillDisable = r.GetValue(_oomKillDisable),
    };
}
