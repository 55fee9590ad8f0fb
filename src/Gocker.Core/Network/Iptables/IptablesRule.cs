namespace Gocker.Core.Network.Iptables;

/// <summary>One rule: table, chain and the match/target arguments after "-A CHAIN".</summary>
public sealed record IptablesRule(string Table, string Chain, IReadOnlyList<string> Spec)
{
    /// <summary>The argument list of `iptables -t TABLE -A CHAIN SPEC...`.</summary>
    public IReadOnlyList<string> AppendArgs() => ["-t", Table, "-A", Chain, .. Spec];

    /// <summary>The same rule as an iptables-restore line ("-A CHAIN SPEC...", or "-D" to delete it).
    /// No argument gocker makes holds a space or a quote, so no quoting is needed.</summary>
    public string RestoreLine(string op = "-A") => string.Join(' ', [op, Chain, .. Spec]);
}

/// <summary>Changes for one iptables-restore call, grouped by table (each table is one transaction).</summary>
public sealed class IptablesBatch
{
    private readonly SortedDictionary<string, List<string>> _lines = new(StringComparer.Ordinal);

    public bool IsEmpty => _lines.Count == 0;

    public void Add(string table, string line)
    {
        if (!_lines.TryGetValue(table, out var list))
            _lines[table] = list = [];
        list.Add(line);
    }

    public void Append(IptablesRule r) => Add(r.Table, r.RestoreLine());
    public void Delete(IptablesRule r) => Add(r.Table, r.RestoreLine("-D"));

    public IReadOnlyList<string> Lines(string table) => _lines.TryGetValue(table, out var l) ? l : [];

    public string ToRestoreInput()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var (table, lines) in _lines)
        {
            sb.Append('*').Append(table).Append('\n');
            foreach (var line in lines)
                sb.Append(line).Append('\n');
            sb.Append("COMMIT\n");
        }
        return sb.ToString();
    }
}
