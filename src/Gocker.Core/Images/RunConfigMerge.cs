namespace Gocker.Core.Images;

/// <summary>What a container runs, as Docker combines the image config with the command line.</summary>
public sealed record MergedRunConfig(
    List<string>? Entrypoint, List<string>? Cmd, List<string> Args, List<string> ImageEnv,
    string? WorkingDir, string? User, string? StopSignal, List<string> ExposedPorts);

/// <summary>Docker's rules (moby daemon/create + cli): a COMMAND on the command line replaces the
/// image's Cmd; --entrypoint replaces its Entrypoint and, given at all, clears the image's Cmd
/// ("" resets the entrypoint to none); -w, -u and --stop-signal win over WorkingDir, User and
/// StopSignal; the image's Env comes first and -e / --env-file override it by key (see
/// EnvironmentBuilder: its PATH default applies only when the image sets none).</summary>
public static class RunConfigMerge
{
    public static MergedRunConfig Merge(ImageRunConfig? image, IReadOnlyList<string> command, string? entrypoint,
        string? workingDir, string? user, string? stopSignal)
    {
        List<string>? ep;
        List<string>? cmd;
        if (entrypoint is not null)
        {
            ep = entrypoint.Length == 0 ? null : [entrypoint];
            cmd = command.Count > 0 ? command.ToList() : null;
        }
        else
        {
            ep = image?.Entrypoint is { Count: > 0 } e ? e.ToList() : null;
            cmd = command.Count > 0 ? command.ToList() : image?.Cmd is { Count: > 0 } c ? c.ToList() : null;
        }
        var args = (ep ?? []).Concat(cmd ?? []).ToList();
        if (args.Count == 0)
            throw new GockerException("no command specified");
        return new MergedRunConfig(ep, cmd, args, image?.Env?.ToList() ?? [],
            NonEmpty(workingDir) ?? NonEmpty(image?.WorkingDir),
            NonEmpty(user) ?? NonEmpty(image?.User),
            NonEmpty(stopSignal) ?? NonEmpty(image?.StopSignal),
            image?.ExposedPorts?.Keys.Order(StringComparer.Ordinal).ToList() ?? []);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
