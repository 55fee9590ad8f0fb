namespace Gocker.Core.Images;

/// <summary>NAME[:TAG] as Docker's reference grammar has it (distribution/reference): an optional
/// registry host (it has a '.' or a ':', or is "localhost"), then lowercase path components joined by
/// '.', '_', '__' or dashes; a tag of word characters, '.' and '-' (at most 128). Names are kept in
/// Docker's familiar form: "docker.io/library/busybox" is "busybox".</summary>
public sealed record ImageReference(string Name, string Tag)
{
    public const string DefaultTag = "latest";

    public override string ToString() => $"{Name}:{Tag}";

    public static ImageReference Parse(string reference)
    {
        if (!TryParse(reference, out var parsed, out var error))
            throw new GockerException(error);
        return parsed;
    }

    public static bool TryParse(string reference, out ImageReference parsed, out string error)
    {
        parsed = new ImageReference("", "");
        error = $"invalid reference format: {reference}";
        if (reference.Contains('@'))
        {
            error = $"invalid reference format: {reference}: digest references are not supported (images are named by NAME[:TAG] or image id)";
            return false;
        }
        var name = reference;
        var tag = DefaultTag;
        int colon = reference.LastIndexOf(':');
        if (colon >= 0 && !reference.AsSpan(colon).Contains('/'))
        {
            name = reference[..colon];
            tag = reference[(colon + 1)..];
            if (!ValidTag(tag))
                return false;
        }
        if (name.Length == 0 || name.Length > 255)
            return false;
        var parts = name.Split('/');
        int first = 0;
        if (parts.Length > 1 && (parts[0].Contains('.') || parts[0].Contains(':') || parts[0] == "localhost" || parts[0].Any(char.IsAsciiLetterUpper)))
        {
            if (!ValidDomain(parts[0]))
                return false;
            first = 1;
        }
        for (int i = first; i < parts.Length; i++)
        {
            if (!ValidComponent(parts[i]))
            {
                if (parts[i].Any(char.IsAsciiLetterUpper) && ValidComponent(parts[i].ToLowerInvariant()))
                    error = "invalid reference format: repository name must be lowercase";
                return false;
            }
        }
        parsed = new ImageReference(Familiar(name), tag);
        return true;
    }

    /// <summary>docker.io/library/x is x and docker.io/x/y is x/y, as `docker images` shows them.</summary>
    public static string Familiar(string name)
    {
        foreach (var prefix in (string[])["docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/"])
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length)
                return name[prefix.Length..];
        }
        return name;
    }

    private static bool ValidTag(string tag) =>
        tag.Length is > 0 and <= 128 && (char.IsAsciiLetterOrDigit(tag[0]) || tag[0] == '_')
        && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    /// <summary>[a-z0-9]+ separated by '.', '_', '__' or any run of '-'.</summary>
    private static bool ValidComponent(string c)
    {
        if (c.Length == 0 || !IsAlnum(c[0]) || !IsAlnum(c[^1]))
            return false;
        for (int i = 0; i < c.Length; i++)
        {
            if (IsAlnum(c[i]))
                continue;
            int j = i;
            while (j < c.Length && !IsAlnum(c[j]))
                j++;
            var sep = c[i..j];
            if (!(sep is "." or "_" or "__" || sep.All(ch => ch == '-')))
                return false;
            i = j - 1;
        }
        return true;

        static bool IsAlnum(char ch) => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9');
    }

    private static bool ValidDomain(string d)
    {
        int colon = d.LastIndexOf(':');
        var host = colon >= 0 ? d[..colon] : d;
        if (colon >= 0 && (colon == d.Length - 1 || !d[(colon + 1)..].All(char.IsAsciiDigit)))
            return false;
        return host.Length > 0 && host.Split('.').All(l => l.Length > 0 && char.IsAsciiLetterOrDigit(l[0]) &&
            char.IsAsciiLetterOrDigit(l[^1]) && l.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-'));
    }

    /// <summary>"sha256:HEX", or a lowercase hex string that may be an image id or its prefix.</summary>
    public static bool LooksLikeId(string s, out string hex)
    {
        hex = s.StartsWith("sha256:", StringComparison.Ordinal) ? s[7..] : s;
        return hex.Length is > 0 and <= 64 && hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
    }
}
