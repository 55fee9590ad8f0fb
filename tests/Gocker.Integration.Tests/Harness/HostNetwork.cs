using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace Gocker.Integration.Tests.Harness;

/// <summary>What the host's network looks like from the test: its devices, gocker's iptables rules,
/// its own addresses, and plain HTTP over a raw TCP connection (no curl needed).</summary>
public static class HostNetwork
{
    public static HashSet<string> Devices() =>
        System.IO.Directory.GetDirectories("/sys/class/net").Select(d => Path.GetFileName(d)!).ToHashSet();

    /// <summary>The devices `ip -br link` lists (the name before any "@peer").</summary>
    public static HashSet<string> LinkNames() =>
        Run("ip", ["-br", "link"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2)[0].Split('@')[0]).ToHashSet();

    /// <summary>A device's alias (IFLA_IFALIAS), or null if it has none.</summary>
    public static string? Alias(string device) =>
        File.ReadAllText($"/sys/class/net/{device}/ifalias").TrimEnd('\n') is { Length: > 0 } a ? a : null;

    /// <summary>`ip ARGS...`, which must succeed.</summary>
    public static void Ip(params string[] args) => Run("ip", args);

    /// <summary>The README's manual cleanup of a network's rules: every rule in either table whose
    /// comment ends in OWNER ("n-0123456789ab"), deleted in one iptables-restore per table.</summary>
    public static void DeleteRulesWithComment(string owner) =>
        Run("sh", ["-c", "for t in filter nat; do { echo \"*$t\"; iptables-save -t \"$t\" | grep -F -- \":$1\\\"\" | sed 's/^-A /-D /'; echo COMMIT; } | iptables-restore -w --noflush || exit 1; done", "sh", owner]);

    private static string Run(string tool, string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed: {stderr.Result}");
        return stdout;
    }

    /// <summary>The IPv4 addresses of a device ([] if it is gone).</summary>
    public static List<string> Addresses(string device) =>
        NetworkInterface.GetAllNetworkInterfaces().Where(i => i.Name == device)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => a.Address.ToString()).ToList();

    /// <summary>Every rule in gocker's chains, as iptables-save prints them.</summary>
    public static List<string> GockerRules()
    {
        using var p = Process.Start(new ProcessStartInfo("iptables-save") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "iptables-save failed");
        return text.Split('\n').Where(l => l.StartsWith("-A GOCKER-", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The filter table's FORWARD policy (ACCEPT, DROP).</summary>
    public static string ForwardPolicy()
    {
        using var p = Process.Start(new ProcessStartInfo("iptables", ["-S", "FORWARD"]) { RedirectStandardOutput = true })!;
        var first = p.StandardOutput.ReadLine() ?? "";
        p.WaitForExit();
        var f = first.Split(' ');
        Assert.True(f is ["-P", "FORWARD", _], $"iptables -S FORWARD began with '{first}'");
        return f[2];
    }

    public static void SetForwardPolicy(string policy)
    {
        using var p = Process.Start("iptables", ["-P", "FORWARD", policy]);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    /// <summary>gocker's tag for a root in its rules' comments (FNV-1a of the root's path).</summary>
    public static string RootTag(string root)
    {
        ulong h = 14695981039346656037;
        foreach (var b in Encoding.UTF8.GetBytes(Path.GetFullPath(root).TrimEnd('/')))
        {
            h ^= b;
            h *= 1099511628211;
        }
        return h.ToString("x16")[..12];
    }

    /// <summary>An IPv4 address of the host that is not loopback (where published ports must answer too).</summary>
    public static string OwnAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback
                && !i.Name.StartsWith("gk", StringComparison.Ordinal) && !i.Name.StartsWith("gocker", StringComparison.Ordinal)
                && !i.Name.StartsWith("docker", StringComparison.Ordinal))
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(a))
            .ToString();

    /// <summary>GET PATH over one TCP connection; the body, or null if nothing answers (yet).</summary>
    public static async Task<string?> HttpGet(string host, int port, string path, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port, cts.Token);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n"), cts.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var response = await reader.ReadToEndAsync(cts.Token);
            int body = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return response.StartsWith("HTTP/1.", StringComparison.Ordinal) && body >= 0 ? response[(body + 4)..] : null;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Retries <see cref="HttpGet"/> until it answers (a server in a container that just started).</summary>
    public static async Task<string> HttpGetWhenUp(string host, int port, string path, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var body = await HttpGet(host, port, path, TimeSpan.FromSeconds(2));
            if (body is not null)
                return body;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"nothing answered on {host}:{port}{path}");
            await Task.Delay(50);
        }
    }
}
