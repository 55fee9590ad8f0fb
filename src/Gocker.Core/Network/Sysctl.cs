namespace Gocker.Core.Network;

/// <summary>Kernel settings under /proc/sys (a recording fake in the unit tests).</summary>
public interface ISysctl
{
    void Set(string key, string value);
}

public sealed class ProcSysctl(string procSys = "/proc/sys") : ISysctl
{
    /// <summary>key as sysctl(8) names it, "net.ipv4.ip_forward"; a device name may not contain '.',
    /// which Linux forbids anyway.</summary>
    public void Set(string key, string value)
    {
        var path = $"{procSys}/{key.Replace('.', '/')}";
        try { File.WriteAllText(path, value); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GockerException($"cannot set {key}={value}: {e.Message}");
        }
    }
}
