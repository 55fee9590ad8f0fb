namespace Gocker.Core.Network.Iptables;

/// <summary>One rule as iptables-save printed it: table, chain, the whole "-A ..." line, and its
/// comment (the value of -m comment --comment, unquoted), if any.</summary>
public sealed record SavedRule(string Table, string Chain, string Line, string? Comment)
{
    /// <summary>The line that deletes exactly this rule (iptables-save output is valid restore input).</summary>
    public string DeleteLine => "-D" + Line[2..];

    /// <summary>The value of an option in the line ("--dport" → "18080"), or null.</summary>
    public string? Option(string name)
    {
        var t = IptablesDump.Tokenize(Line);
        int i = t.IndexOf(name);
        return i >= 0 && i + 1 < t.Count ? t[i + 1] : null;
    }
}

/// <summary>An iptables-save dump: which chains exist in which table, and every rule.</summary>
public sealed class IptablesDump
{
    public HashSet<(string Table, string Chain)> Chains { get; } = [];
    public List<SavedRule> Rules { get; } = [];

    public static IptablesDump Parse(string text)
    {
        var d = new IptablesDump();
        string table = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('*'))
                table = line[1..];
            else if (line.StartsWith(':'))
                d.Chains.Add((table, line[1..].Split(' ')[0]));
            else if (line.StartsWith("-A ", StringComparison.Ordinal))
            {
                var t = Tokenize(line);
                int c = t.IndexOf("--comment");
                d.Rules.Add(new SavedRule(table, t[1], line, c >= 0 && c + 1 < t.Count ? t[c + 1] : null));
            }
        }
        return d;
    }

    public bool HasChain(string table, string chain) => Chains.Contains((table, chain));

    public IEnumerable<SavedRule> In(string table, string chain) => Rules.Where(r => r.Table == table && r.Chain == chain);

    /// <summary>Splits a saved line into arguments; double quotes group (and are removed), a backslash
    /// escapes the next character inside them, as iptables-save writes them.</summary>
    public static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var cur = new System.Text.StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted && ch == '\\' && i + 1 < line.Length) { cur.Append(line[++i]); continue; }
            if (ch == '"') { quoted = !quoted; any = true; continue; }
            if (ch == ' ' && !quoted)
            {
                if (any || cur.Length > 0) tokens.Add(cur.ToString());
                cur.Clear();
                any = false;
                continue;
            }
            cur.Append(ch);
        }
        if (any || cur.Length > 0)
            tokens.Add(cur.ToString());
        return tokens;
    }
}
