using System.Text.Json;

namespace Gocker.Core.Images;

/// <summary>`commit -c` (and `import -c`): Dockerfile instructions applied to the new image's config,
/// the ones Docker accepts there: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME,
/// WORKDIR. CMD and ENTRYPOINT take the JSON form or the shell form (run by /bin/sh -c).</summary>
public sealed class CommitChanges
{
    private readonly List<(string Instruction, string Value)> _changes;

    private CommitChanges(List<(string, string)> changes) => _changes = changes;

    public static CommitChanges Parse(IReadOnlyList<string> changes)
    {
        var parsed = new List<(string, string)>();
        foreach (var change in changes)
        {
            var text = change.Trim();
            int space = text.IndexOfAny([' ', '\t']);
            var instruction = (space < 0 ? text : text[..space]).ToUpperInvariant();
            var value = space < 0 ? "" : text[(space + 1)..].Trim();
            if (instruction is not ("CMD" or "ENTRYPOINT" or "ENV" or "EXPOSE" or "LABEL" or "STOPSIGNAL" or "USER" or "VOLUME" or "WORKDIR"))
                throw new GockerException($"{(instruction.Length == 0 ? change : instruction.ToLowerInvariant())} is not a valid change command");
            if (value.Length == 0 && instruction is not ("CMD" or "ENTRYPOINT"))
                throw new GockerException($"{instruction} requires at least one argument");
            parsed.Add((instruction, value));
        }
        var result = new CommitChanges(parsed);
        result.Apply(new ImageRunConfig()); // every value checked now, before anything is read
        return result;
    }

    public void Apply(ImageRunConfig config)
    {
        foreach (var (instruction, value) in _changes)
        {
            switch (instruction)
            {
                case "CMD": config.Cmd = Command(value); break;
                case "ENTRYPOINT": config.Entrypoint = Command(value); break;
                case "WORKDIR": config.WorkingDir = value; break;
                case "USER": config.User = value; break;
                case "STOPSIGNAL": config.StopSignal = value; break;
                case "ENV":
                    var env = config.Env ?? [];
                    foreach (var (k, v) in Pairs(value, "ENV"))
                    {
                        env.RemoveAll(e => e.StartsWith(k + "=", StringComparison.Ordinal));
                        env.Add($"{k}={v}");
                    }
                    config.Env = env;
                    break;
                case "LABEL":
                    config.Labels ??= [];
                    foreach (var (k, v) in Pairs(value, "LABEL"))
                        config.Labels[k] = v;
                    break;
                case "EXPOSE":
                    config.ExposedPorts ??= [];
                    foreach (var port in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        config.ExposedPorts[Port(port)] = new EmptyObject();
                    break;
                case "VOLUME":
                    config.Volumes ??= [];
                    foreach (var v in value.StartsWith('[') ? JsonArray(value) : value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList())
                        config.Volumes[v] = new EmptyObject();
                    break;
            }
        }
    }

    /// <summary>["a", "b"] as is; anything else is a shell form.</summary>
    private static List<string>? Command(string value)
    {
        if (value.Length == 0)
            return null;
        if (value.StartsWith('['))
        {
            try { return JsonArray(value); }
            catch (GockerException) { /* Docker falls back to the shell form */ }
        }
        return ["/bin/sh", "-c", value];
    }

    private static List<string> JsonArray(string value)
    {
        try
        {
            return JsonSerializer.Deserialize(value, StoreChangeJsonContext.Default.ListString) ?? [];
        }
        catch (JsonException)
        {
            throw new GockerException($"invalid JSON array: {value}");
        }
    }

    /// <summary>"K=V K2=V2" (values may be double-quoted), or the legacy "K V".</summary>
    private static List<(string, string)> Pairs(string value, string instruction)
    {
        var pairs = new List<(string, string)>();
        if (!value.Split(' ', 2)[0].Contains('='))
        {
            var parts = value.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
                throw new GockerException($"{instruction} {value}: needs KEY=VALUE");
            pairs.Add((parts[0], parts[1].Trim()));
            return pairs;
        }
        int i = 0;
        while (i < value.Length)
        {
            while (i < value.Length && value[i] == ' ') i++;
            if (i >= value.Length) break;
            int eq = value.IndexOf('=', i);
            if (eq < 0)
                throw new GockerException($"{instruction} {value}: needs KEY=VALUE");
            var key = value[i..eq];
            i = eq + 1;
            var sb = new System.Text.StringBuilder();
            bool quoted = false;
            for (; i < value.Length && (quoted || value[i] != ' '); i++)
            {
                if (value[i] == '"') { quoted = !quoted; continue; }
                if (value[i] == '\\' && i + 1 < value.Length) { sb.Append(value[++i]); continue; }
                sb.Append(value[i]);
            }
            pairs.Add((key, sb.ToString()));
        }
        return pairs;
    }

    private static string Port(string port)
    {
        var (number, proto) = port.Contains('/') ? (port[..port.IndexOf('/')], port[(port.IndexOf('/') + 1)..]) : (port, "tcp");
        if (!ushort.TryParse(number, out var n) || n == 0 || proto is not ("tcp" or "udp" or "sctp"))
            throw new GockerException($"invalid port {port}");
        return $"{n}/{proto}";
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(List<string>))]
internal sealed partial class StoreChangeJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
