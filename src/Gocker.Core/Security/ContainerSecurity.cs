using System.Text.Json;
using Gocker.Core.Security.Seccomp;

namespace Gocker.Core.Security;

/// <summary>From the flags to a container's <see cref="SecurityConfig"/> (at create: every bad value is a
/// one-line error before anything exists), and from that to what one process gets (<see cref="ProcessSecurity"/>).</summary>
public static class ContainerSecurity
{
    public static SecurityConfig Parse(SecurityFlags f, Func<string, string>? readProfile = null, ulong? held = null)
    {
        var capAdd = f.CapAdd.Select(Capabilities.Normalize).ToList();
        var capDrop = f.CapDrop.Select(Capabilities.Normalize).ToList();
        var options = SecurityOptions.Parse(f.SecurityOpt, readProfile ?? File.ReadAllText);
        var ulimits = Ulimit.ParseAll(f.Ulimits);
        ulong have = held ?? Capabilities.Held();
        ulong caps = f.Privileged ? have : Capabilities.Resolve(capAdd, capDrop, have);
        var config = new SecurityConfig
        {
            Privileged = f.Privileged,
            CapAdd = capAdd,
            CapDrop = capDrop,
            Capabilities = caps,
            NoNewPrivileges = options.NoNewPrivileges,
            Seccomp = options.Seccomp,
            SeccompProfile = options.SeccompProfile,
            MaskSystemPaths = options.MaskSystemPaths && !f.Privileged,
            Ulimits = ulimits,
            SecurityOpt = [.. f.SecurityOpt],
        };
        if (config.Seccomp == SeccompMode.Profile)
            SeccompProgram(config); // a bad profile is refused now, not at start
        else if (config.Seccomp == SeccompMode.Default && !config.Privileged)
            SeccompRules.EnsureSupportedArchitecture();
        return config;
    }

    /// <summary>The container's command (and, with <paramref name="execPrivileged"/> false, an exec'd one).
    /// `exec --privileged` gets every capability gocker holds; the rest stays the container's, seccomp filter
    /// included (compiled for the container's capabilities), as in Docker.</summary>
    /// <param name="cache">Where compiled default filters are kept (null: compile every time).</param>
    public static ProcessSecurity ForProcess(SecurityConfig s, bool execPrivileged = false, SeccompCache? cache = null) => new()
    {
        KeepCapabilities = s.Privileged || execPrivileged,
        Capabilities = s.Capabilities,
        NoNewPrivileges = s.NoNewPrivileges,
        SeccompFilter = SeccompProgram(s, cache),
        Ulimits = s.Ulimits,
    };

    /// <summary>The compiled filter, or null for none (--privileged, seccomp=unconfined).</summary>
    public static byte[]? SeccompProgram(SecurityConfig s, SeccompCache? cache = null)
    {
        if (s.Privileged || s.Seccomp == SeccompMode.Unconfined)
            return null;
        if (s.Seccomp == SeccompMode.Profile)
            return Compile(ParseProfile(s.SeccompProfile ?? ""), s.Capabilities);
        return cache is null
            ? Compile(DockerDefaultProfile.Build(), s.Capabilities)
            : cache.DefaultProgram(s.Capabilities, () => Compile(DockerDefaultProfile.Build(), s.Capabilities));
    }

    private static byte[] Compile(SeccompProfile profile, ulong caps) =>
        BpfCompiler.Compile(SeccompRules.Resolve(profile, caps, () => SeccompRules.KernelVersion()));

    public static SeccompProfile ParseProfile(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SeccompJsonContext.Default.SeccompProfile)
                ?? throw new GockerException("invalid seccomp profile: empty");
        }
        catch (JsonException e)
        {
            throw new GockerException($"invalid seccomp profile: {e.Message}");
        }
    }
}
