namespace Gocker.Core.Security;

/// <summary>Docker's --security-opt values: no-new-privileges[=true|false], seccomp=unconfined|PROFILE.json,
/// systempaths=unconfined; apparmor and label only where they ask for what already holds (no AppArmor or
/// SELinux here: apparmor=unconfined and label=disable are accepted, any profile or label is refused).
/// Docker's old "key:value" spelling is accepted too.</summary>
public sealed record SecurityOptions(bool NoNewPrivileges, SeccompMode Seccomp, string? SeccompProfile, bool MaskSystemPaths)
{
    /// <param name="readProfile">Reads a profile file (the path as given, relative to the caller's directory).</param>
    public static SecurityOptions Parse(IEnumerable<string> options, Func<string, string> readProfile)
    {
        bool nnp = true, mask = true;
        var seccomp = SeccompMode.Default;
        string? profile = null;
        foreach (var opt in options)
        {
            int sep = opt.IndexOfAny(['=', ':']);
            var key = sep < 0 ? opt : opt[..sep];
            var value = sep < 0 ? null : opt[(sep + 1)..];
            switch (key)
            {
                case "no-new-privileges":
                    nnp = value is null || (ParseBool(value) ?? throw Invalid(opt));
                    break;
                case "seccomp" when value is "unconfined":
                    seccomp = SeccompMode.Unconfined;
                    profile = null;
                    break;
                case "seccomp" when value is { Length: > 0 }:
                    try { profile = readProfile(value); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new GockerException($"opening seccomp profile ({value}) failed: {e.Message}");
                    }
                    seccomp = SeccompMode.Profile;
                    break;
                case "systempaths" when value is "unconfined":
                    mask = false;
                    break;
                case "apparmor" when value is "unconfined":
                    break; // no AppArmor profile is ever applied
                case "apparmor" when value is not null:
                    throw new GockerException($"invalid --security-opt: \"{opt}\": AppArmor is not supported by gocker (only apparmor=unconfined)");
                case "label" when value is "disable":
                    break; // no SELinux labels are ever applied
                case "label" when value is not null:
                    throw new GockerException($"invalid --security-opt: \"{opt}\": SELinux labels are not supported by gocker (only label=disable)");
                default:
                    throw Invalid(opt);
            }
        }
        return new SecurityOptions(nnp, seccomp, profile, mask);
    }

    private static GockerException Invalid(string opt) =>
        new($"invalid --security-opt: \"{opt}\" (known: no-new-privileges[=true|false], seccomp=unconfined|PROFILE.json, systempaths=unconfined, apparmor=unconfined, label=disable)");

    /// <summary>Go's strconv.ParseBool.</summary>
    private static bool? ParseBool(string s) => s switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => null,
    };
}
