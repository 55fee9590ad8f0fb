using Gocker.Core.Containers;

namespace Gocker.Core.Tests.Containers;

/// <summary>A gocker root in a fresh temporary directory, deleted with the test class instance.</summary>
public abstract class TempRoot : IDisposable
{
    protected TempRoot(string prefix)
    {
        Dir = Path.Combine(Path.GetTempPath(), $"gocker-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Dir);
        Root = new GockerRoot(Dir);
    }

    protected string Dir { get; }
    protected GockerRoot Root { get; }

    /// <summary>A container id of one repeated hex digit.</summary>
    protected static string Id(char c) => new(c, 64);

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
