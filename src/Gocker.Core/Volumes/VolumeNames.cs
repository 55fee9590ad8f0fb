using System.Text.RegularExpressions;

namespace Gocker.Core.Volumes;

/// <summary>The local driver's rule for volume names. A name is checked before it touches a path.</summary>
public static partial class VolumeNames
{
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex Pattern();

    /// <summary>moby's text, with its "create NAME: " prefix.</summary>
    public static void Validate(string name)
    {
        if (name.Length == 1)
            throw new GockerException($"create {name}: volume name is too short, names should be at least two alphanumeric characters");
        if (name.Length > 255 || !Pattern().IsMatch(name))
            throw new GockerException($"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    }

    public static bool IsValid(string name) => name.Length is > 1 and <= 255 && Pattern().IsMatch(name);
}
