using System.Diagnostics;

namespace Gocker.Core.Network.Iptables;

/// <summary><see cref="IIptables"/> through the iptables-save and iptables-restore commands (either
/// backend, legacy or nft). They are looked up where Debian puts them and on PATH.</summary>
public sealed class IptablesCommand : IIptables
{
    private static readonly string[] Dirs = ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/bin"];

    public string Save() => Run("iptables-save", [], null);

    public void Restore(string input) => Run("iptables-restore", ["-w", "--noflush"], input);

    private static string Run(string tool, string[] args, string? input)
    {
        var path = Find(tool) ?? throw new GockerException(
            $"{tool} not found: gocker's bridge networks need iptables (apt-get install iptables), or use --network none or host");
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi) ?? throw new GockerException($"cannot run {path}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (input is not null)
        {
            // A tool that exits before reading all of its input breaks the pipe: its exit status and
            // stderr below say why, as a GockerException like every other failure of it.
            try
            {
                p.StandardInput.Write(input);
                p.StandardInput.Close();
            }
            catch (IOException) { }
        }
        p.WaitForExit();
        var err = stderr.Result.Trim();
        if (p.ExitCode != 0)
            throw new GockerException($"{tool} failed (exit {p.ExitCode}): {err.ReplaceLineEndings("; ")}");
        return stdout.Result;
    }

    private static string? Find(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(':') ?? [];
        return Dirs.Concat(path).Where(d => d.Length > 0).Select(d => $"{d}/{tool}").FirstOrDefault(File.Exists);
    }
}
