using System.Globalization;
using Gocker.Core.Containers;

namespace Gocker.Core.Cgroups;

/// <summary>A container's resource limits (docker run/update flags). Null: not asked for.
/// MemorySwap and PidsLimit use -1 for "unlimited" (written as -1 / "max").</summary>
public sealed record ResourceLimits
{
    /// <summary>Docker's minimum for -m and --memory-reservation.</summary>
    public const long MinimumMemory = 6L << 20;
    public const long MinCpuShares = 2, MaxCpuShares = 262144;
    public const long CfsPeriodUs = 100_000;

    public long? Memory { get; init; }
    /// <summary>Memory plus swap; -1 unlimited.</summary>
    public long? MemorySwap { get; init; }
    public long? MemoryReservation { get; init; }
    public double? Cpus { get; init; }
    public long? CpuShares { get; init; }
    public string? CpusetCpus { get; init; }
    public string? CpusetMems { get; init; }
    /// <summary>-1 unlimited.</summary>
    public long? PidsLimit { get; init; }
    public bool OomKillDisable { get; init; }
    /// <summary>--privileged: the devices controller (v1) allows every device; otherwise only a container's
    /// default nodes. Set at create only, not a limit <c>update</c> changes.</summary>
    public bool AllDevices { get; init; }

    /// <summary>Docker's warnings for values it adjusted or ignored (the CLI prints them as "WARNING: ...").</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public bool IsEmpty => Memory is null && MemorySwap is null && MemoryReservation is null && Cpus is null &&
        CpuShares is null && CpusetCpus is null && CpusetMems is null && PidsLimit is null && !OomKillDisable;

    /// <summary>The cfs quota in microseconds for <see cref="Cpus"/> with a 100 ms period.</summary>
    public long? CpuQuotaUs => Cpus is { } c ? (long)Math.Round(c * CfsPeriodUs) : null;

    public static readonly ResourceLimits None = new();

    /// <summary>Parses and checks the raw flag values (null or "" = not given), as docker run does.
    /// <paramref name="update"/>: docker update, where -m without --memory-swap leaves the swap limit alone.</summary>
    public static ResourceLimits Parse(HostFacts host,
        string? memory = null, string? memorySwap = null, string? memoryReservation = null,
        string? cpus = null, string? cpuShares = null, string? cpusetCpus = null, string? cpusetMems = null,
        string? pidsLimit = null, bool oomKillDisable = false, bool update = false)
    {
        var warnings = new List<string>();
        long? mem = Given(memory) ? Size(memory!, "-m, --memory") : null;
        long? swap = Given(memorySwap) ? (memorySwap!.Trim() == "-1" ? -1 : Size(memorySwap, "--memory-swap")) : null;
        long? reservation = Given(memoryReservation) ? Size(memoryReservation!, "--memory-reservation") : null;
        if (mem == 0) mem = null;             // 0: unlimited, as Docker
        if (swap == 0) swap = null;
        if (reservation == 0) reservation = null;

        if (mem is { } m && m < MinimumMemory)
            throw new GockerException("Minimum memory limit allowed is 6MB");
        if (swap is { } s && s != -1)
        {
            if (mem is null && !update)
                throw new GockerException("You should always set the Memory limit when using Memoryswap limit, see usage");
            if (mem is { } m2 && s < m2)
                throw new GockerException("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (reservation is { } r)
        {
            if (r < MinimumMemory)
                throw new GockerException("Minimum memory reservation allowed is 6MB");
            if (mem is { } m3 && m3 < r)
                throw new GockerException("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        if (mem is { } m4 && swap is null && !update)
            swap = m4 * 2;                     // Docker's default: as much swap as memory

        double? cpuCount = null;
        if (Given(cpus))
        {
            if (!double.TryParse(cpus, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
                    CultureInfo.InvariantCulture, out var c) || double.IsNaN(c) || double.IsInfinity(c))
                throw new GockerException($"invalid argument \"{cpus}\" for \"--cpus\" flag: failed to parse {cpus} as a rational number");
            int n = host.CpuCount;
            if (c != 0 && (c < 0.01 || c > n))
                throw new GockerException(string.Format(CultureInfo.InvariantCulture,
                    "Range of CPUs is from 0.01 to {0:0.00}, as there are only {1} CPUs available", (double)n, n));
            if (c != 0) cpuCount = c;
        }

        long? shares = null;
        if (Given(cpuShares))
        {
            if (!long.TryParse(cpuShares, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sh))
                throw new GockerException($"invalid argument \"{cpuShares}\" for \"-c, --cpu-shares\" flag: strconv.ParseInt: parsing \"{cpuShares}\": invalid syntax");
            if (sh < 0)
                throw new GockerException($"invalid --cpu-shares value {sh}: must be between {MinCpuShares} and {MaxCpuShares}");
            if (sh > 0 && sh < MinCpuShares)
            {
                warnings.Add($"Your kernel does not support CPU shares below {MinCpuShares}. Changing requested CPUShares of {sh} to minimum allowed of {MinCpuShares}.");
                sh = MinCpuShares;
            }
            else if (sh > MaxCpuShares)
            {
                warnings.Add($"Your kernel does not support CPU shares above {MaxCpuShares}. Changing requested CPUShares of {sh} to maximum allowed of {MaxCpuShares}.");
                sh = MaxCpuShares;
            }
            if (sh != 0) shares = sh;
        }

        string? cpuset = Given(cpusetCpus) ? CheckSet(cpusetCpus!.Trim(), host.OnlineCpus, "cpus", "CPUs") : null;
        string? memset = Given(cpusetMems) ? CheckSet(cpusetMems!.Trim(), host.OnlineMems, "mems", "memory nodes") : null;

        long? pids = null;
        if (Given(pidsLimit))
        {
            if (!long.TryParse(pidsLimit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p))
                throw new GockerException($"invalid argument \"{pidsLimit}\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"{pidsLimit}\": invalid syntax");
            pids = p <= 0 ? -1 : p;
        }

        if (oomKillDisable)
        {
            if (host.Version == CgroupVersion.V2)
            {
                warnings.Add("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
                oomKillDisable = false;
            }
            else if (mem is null && !update)
                warnings.Add("Disabling the OOM killer on containers without setting a '-m/--memory' limit may be dangerous.");
        }

        return new ResourceLimits
        {
            Memory = mem, MemorySwap = swap, MemoryReservation = reservation, Cpus = cpuCount, CpuShares = shares,
            CpusetCpus = cpuset, CpusetMems = memset, PidsLimit = pids, OomKillDisable = oomKillDisable,
            Warnings = warnings,
        };
    }

    private static bool Given(string? s) => !string.IsNullOrWhiteSpace(s);

    private static long Size(string value, string flag)
    {
        long n;
        try { n = ByteSize.Parse(value, flag); }
        catch (GockerException) { n = -1; }
        if (n < 0 || value.Trim().StartsWith('-'))
            throw new GockerException($"invalid argument \"{value}\" for \"{flag}\" flag: invalid size: '{value}'");
        return n;
    }

    private static string CheckSet(string value, string online, string kind, string what)
    {
        var requested = CpuList.Parse(value);
        if (requested is null || requested.Count == 0)
            throw new GockerException($"Invalid value {value} for cpuset {kind}");
        var available = CpuList.Parse(online) ?? [];
        if (!requested.IsSubsetOf(available))
            throw new GockerException($"Requested {what} are not available - requested {value}, available: {online}");
        return value;
    }
}
