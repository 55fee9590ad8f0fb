using System.Text.Json;
using Gocker.Core.Containers;
using Gocker.Core.Formatting;

namespace Gocker.Core.Network;

/// <summary>The `network` commands: one call each, returning what the CLI prints.</summary>
public sealed class NetworkService(GockerRoot root, NetworkHost? host = null)
{
    private readonly NetworkManager _networks = new(root, host ?? NetworkHost.Real);

    public const string DefaultTableFormat = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["ID"] = "NETWORK ID", ["Name"] = "NAME", ["Driver"] = "DRIVER", ["Scope"] = "SCOPE",
        ["IPv6"] = "IPV6", ["Internal"] = "INTERNAL", ["Labels"] = "LABELS", ["CreatedAt"] = "CREATED AT",
    };

    /// <summary>`network create`: the new network's id.</summary>
    public string Create(NetworkCreateOptions o) => _networks.Create(o).Id;

    public void Remove(string nameOrId)
    {
        _networks.Reconcile(rules: true);
        _networks.Remove(nameOrId);
    }

    public List<string> Prune()
    {
        _networks.Reconcile(rules: true);
        return _networks.Prune();
    }

    public List<string> Teardown() => _networks.Teardown();

    /// <summary>`network ls [-q] [--no-trunc] [--filter K=V] [--format F]`: the whole output.</summary>
    public string List(IReadOnlyList<string> filters, string? format, bool quiet, bool noTrunc)
    {
        var match = NetworkFilter.Parse(filters);
        var resolved = quiet ? "{{.ID}}" : string.IsNullOrEmpty(format) || format == TemplateFormat.TableKey ? DefaultTableFormat : format;
        GoTemplate.Parse(TemplateFormat.Prepare(resolved).Text); // a bad template fails before anything is read
        _networks.Reconcile(rules: false);
        var rows = Rows().Where(match).OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => (ITemplateData)Fields(r, noTrunc));
        return TemplateTable.Render(resolved, Headers, rows);
    }

    /// <summary>`network inspect [-f F] NETWORK...`: the output, and the names that were not found.</summary>
    public (string Output, List<string> Missing) Inspect(IReadOnlyList<string> names, string? format)
    {
        if (!string.IsNullOrEmpty(format) && format != TemplateFormat.JsonKey)
            GoTemplate.Parse(format);
        _networks.Reconcile(rules: false);
        var all = Rows();
        var found = new List<JsonElement>();
        var missing = new List<string>();
        foreach (var name in names)
        {
            var row = all.FirstOrDefault(r => r.Name == name) ?? ByIdPrefix(all, name);
            if (row is null)
                missing.Add(name);
            else
                found.Add(JsonSerializer.SerializeToElement(ToInspect(row), NetworkInspectJsonContext.Default.NetworkInspect));
        }
        return (found.Count > 0 || string.IsNullOrEmpty(format) ? InspectWriter.Render(found, format) : "", missing);
    }

    private static Row? ByIdPrefix(List<Row> all, string id)
    {
        var m = all.Where(r => r.Id.StartsWith(id, StringComparison.Ordinal)).ToList();
        return m.Count == 1 ? m[0] : null;
    }

    /// <summary>A network as ls and inspect see it; host and none exist in every root without a file.</summary>
    internal sealed record Row(string Name, string Id, string Driver, long Created, NetworkDefinition? Definition)
    {
        public bool IsBuiltin => Definition is null || Definition.IsDefault;
    }

    private List<Row> Rows()
    {
        var defs = _networks.All();
        long created = defs.FirstOrDefault(d => d.IsDefault)?.Created ?? 0;
        var rows = defs.Select(d => new Row(d.Name, d.Id, d.Driver, d.Created, d)).ToList();
        rows.Add(new Row(ContainerNetworkSettings.Host, BuiltinId(ContainerNetworkSettings.Host), "host", created, null));
        rows.Add(new Row(ContainerNetworkSettings.None, BuiltinId(ContainerNetworkSettings.None), "null", created, null));
        return rows;
    }

    private string BuiltinId(string name) =>
        string.Concat(Enumerable.Range(0, 4).Select(i => Hashing.Fnv1a.Hash($"{i}:{root.Path}:{name}").ToString("x16")));

    private static DateTimeOffset FromNs(long ns) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ns / 1_000_000).AddTicks(ns % 1_000_000 / 100);

    private static TemplateFields Fields(Row r, bool noTrunc)
    {
        var labels = r.Definition?.Labels ?? [];
        var f = new TemplateFields("*formatter.networkContext")
            .Set("ID", noTrunc ? r.Id : r.Id[..12])
            .Set("Name", r.Name)
            .Set("Driver", r.Driver)
            .Set("Scope", "local")
            .Set("IPv6", "false")
            .Set("Internal", "false")
            .Set("Labels", string.Join(",", labels.Select(kv => kv.Key + "=" + kv.Value).Order(StringComparer.Ordinal)))
            .Set("CreatedAt", GoTime.String(FromNs(r.Created), TimeZoneInfo.Local));
        f.Method("Label", 1, a => labels.TryGetValue(a[0], out var l) ? l : "");
        return f;
    }

    private NetworkInspect ToInspect(Row r)
    {
        var n = new NetworkInspect
        {
            Name = r.Name,
            Id = r.Id,
            Created = GoTime.Rfc3339Nano(FromNs(r.Created)),
            Driver = r.Driver,
        };
        if (r.Definition is not { } d)
            return n;
        n.IPAM.Config.Add(new NetworkIpamConfig { Subnet = d.Subnet, Gateway = d.Gateway, IPRange = d.IPRange });
        n.Options["com.docker.network.bridge.name"] = d.Bridge;
        n.Labels = new Dictionary<string, string>(d.Labels);
        var names = new Dictionary<string, string>();
        using (var store = new State.StateStore(root.StateDb))
            foreach (var rec in store.ReadAll().Records)
                names[rec.Id] = rec.Name;
        IpamTable table;
        using (_networks.Store.SharedLock())
            table = _networks.Store.ReadIpam(d.Name);
        foreach (var e in table.Entries)
        {
            n.Containers[e.ContainerId] = new NetworkContainer
            {
                Name = names.GetValueOrDefault(e.ContainerId, ""),
                EndpointID = ContainerNetworkInspect.EndpointId(e.ContainerId, d.Id),
                MacAddress = e.Mac,
                IPv4Address = $"{e.Address}/{d.SubnetCidr.PrefixLength}",
            };
        }
        return n;
    }

    /// <summary>`network ls --filter`: name= (substring), id= (prefix), driver=, label=KEY[=VALUE],
    /// type=custom|builtin. Several values of one key: any; several keys: all.</summary>
    internal static class NetworkFilter
    {
        public static Func<Row, bool> Parse(IReadOnlyList<string> filters)
        {
            var by = new Dictionary<string, List<string>>();
            foreach (var f in filters)
            {
                int eq = f.IndexOf('=');
                if (eq <= 0)
                    throw new GockerException($"bad format of filter (expected name=value): {f}");
                var key = f[..eq];
                if (key is not ("name" or "id" or "driver" or "label" or "type"))
                    throw new GockerException($"invalid filter '{key}'");
                var value = f[(eq + 1)..];
                if (key == "type" && value is not ("custom" or "builtin"))
                    throw new GockerException($"invalid filter: 'type'='{value}'");
                (by.TryGetValue(key, out var l) ? l : by[key] = []).Add(value);
            }
            return r => by.All(kv => kv.Value.Any(v => Matches(r, kv.Key, v)));
        }

        private static bool Matches(Row r, string key, string v) => key switch
        {
            "name" => r.Name.Contains(v, StringComparison.Ordinal),
            "id" => r.Id.StartsWith(v, StringComparison.Ordinal),
            "driver" => r.Driver == v,
            "type" => (v == "builtin") == r.IsBuiltin,
            _ => LabelMatches(r.Definition?.Labels ?? [], v),
        };

        private static bool LabelMatches(Dictionary<string, string> labels, string v)
        {
            int eq = v.IndexOf('=');
            return eq < 0 ? labels.ContainsKey(v) : labels.TryGetValue(v[..eq], out var x) && x == v[(eq + 1)..];
        }
    }
}
