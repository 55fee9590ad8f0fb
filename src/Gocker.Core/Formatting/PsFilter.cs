using System.Globalization;
using System.Text.RegularExpressions;

namespace Gocker.Core.Formatting;

/// <summary>`docker ps --filter key=value` (repeatable): values of one key are alternatives (OR),
/// different keys must all match (AND), as in moby's <c>filters.Args</c>. Keys: status, name,
/// id, ancestor, exited, label.</summary>
public sealed class PsFilter
{
    private static readonly string[] Keys = ["ancestor", "exited", "id", "label", "name", "status"];

    private readonly Dictionary<string, List<string>> _values;
    private readonly List<ContainerState> _states = [];
    private readonly List<int> _exitCodes = [];

    private PsFilter(Dictionary<string, List<string>> values)
    {
        _values = values;
        foreach (var v in Values("status"))
        {
            if (!ContainerStatus.TryParseState(v, out var s)) throw new GockerException($"invalid filter 'status={v}'");
            _states.Add(s);
        }
        foreach (var v in Values("exited"))
        {
            if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
                throw new GockerException($"invalid filter 'exited={v}'");
            _exitCodes.Add(code);
        }
    }

    public static PsFilter None { get; } = new(new Dictionary<string, List<string>>());

    /// <summary>Parses <c>--filter</c> arguments.</summary>
    /// <exception cref="GockerException">No '=' ("bad format of filter (expected name=value)"),
    /// an unknown key ("invalid filter 'x'"), or a bad status or exit code
    /// ("invalid filter 'status=x'").</exception>
    public static PsFilter Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            var eq = arg.IndexOf('=');
            if (eq < 0) throw new GockerException("bad format of filter (expected name=value)");
            var key = arg[..eq].Trim().ToLowerInvariant();
            var value = arg[(eq + 1)..].Trim();
            if (!values.TryGetValue(key, out var list)) values[key] = list = [];
            if (!list.Contains(value)) list.Add(value);
        }
        foreach (var key in values.Keys)
            if (!Keys.Contains(key)) throw new GockerException($"invalid filter '{key}'");
        return new PsFilter(values);
    }

    public bool IsEmpty => _values.Count == 0;

    /// <summary>A status filter makes `docker ps` list stopped containers too (as if <c>-a</c>).</summary>
    public bool ImpliesAll => _states.Count > 0;

    private IReadOnlyList<string> Values(string key) => _values.TryGetValue(key, out var v) ? v : [];

    public IEnumerable<ContainerView> Apply(IEnumerable<ContainerView> containers) => containers.Where(Matches);

    public bool Matches(ContainerView c)
    {
        if (_states.Count > 0 && !_states.Contains(c.State)) return false;

        var name = c.Name.TrimStart('/');
        if (!Match("name", "/" + name) && !Match("name", name)) return false;
        if (!Match("id", c.Id)) return false;

        if (_exitCodes.Count > 0)
        {
            // moby: only containers that ran and stopped have an exit code to match.
            var stopped = c.State is ContainerState.Exited or ContainerState.Dead && c.Started is not null;
            if (!stopped || !_exitCodes.Contains(c.ExitCode)) return false;
        }

        var ancestors = Values("ancestor");
        if (ancestors.Count > 0 && !ancestors.Any(a => SameImage(a, c.Image))) return false;

        foreach (var label in Values("label"))
        {
            var labels = c.Labels ?? new Dictionary<string, string>();
            var eq = label.IndexOf('=');
            var ok = eq < 0
                ? labels.ContainsKey(label)
                : labels.TryGetValue(label[..eq], out var lv) && lv == label[(eq + 1)..];
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>moby's <c>Args.Match</c>: true without values for the key; otherwise an exact
    /// match or an unanchored regular-expression match of any value (a bad pattern never matches).</summary>
    private bool Match(string key, string source)
    {
        var values = Values(key);
        if (values.Count == 0) return true;
        foreach (var pattern in values)
        {
            if (pattern == source) return true;
            try
            {
                if (Regex.IsMatch(source, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))) return true;
            }
            catch (ArgumentException)
            {
            }
            catch (RegexMatchTimeoutException)
            {
            }
        }
        return false;
    }

    /// <summary>Image references compared after normalising: "docker.io/library/" dropped and a
    /// missing tag read as ":latest" (so <c>alpine</c> matches <c>alpine:latest</c>).</summary>
    public static bool SameImage(string a, string b) => NormalizeImage(a) == NormalizeImage(b);

    public static string NormalizeImage(string image)
    {
        if (image.StartsWith("docker.io/library/", StringComparison.Ordinal)) image = image["docker.io/library/".Length..];
        else if (image.StartsWith("docker.io/", StringComparison.Ordinal)) image = image["docker.io/".Length..];
        if (image.Contains('@')) return image;
        var lastSlash = image.LastIndexOf('/');
        return image.IndexOf(':', lastSlash + 1) >= 0 ? image : image + ":latest";
    }
}
