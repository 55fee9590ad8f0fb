using System.Globalization;

namespace Gocker.Core.Cgroups;

/// <summary>The kernel's list syntax for CPUs and memory nodes: "0-3,5,7-8".</summary>
public static class CpuList
{
    /// <summary>The numbers in a list, or null if the syntax is wrong. "" is the empty set.</summary>
    public static SortedSet<int>? Parse(string list)
    {
        var set = new SortedSet<int>();
        var s = list.Trim();
        if (s.Length == 0) return set;
        foreach (var part in s.Split(','))
        {
            int dash = part.IndexOf('-');
            if (dash < 0)
            {
                if (!TryNumber(part, out var n)) return null;
                set.Add(n);
                continue;
            }
            if (!TryNumber(part[..dash], out var lo) || !TryNumber(part[(dash + 1)..], out var hi) || hi < lo || hi - lo > 65536)
                return null;
            for (int i = lo; i <= hi; i++) set.Add(i);
        }
        return set;
    }

    private static bool TryNumber(string s, out int n) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n);
}
