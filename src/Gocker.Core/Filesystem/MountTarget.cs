namespace Gocker.Core.Filesystem;

/// <summary>A mount target opened by <see cref="IMountSyscalls.OpenInRoot"/>: <see cref="Path"/> is
/// valid for mount(2) while this is not disposed.</summary>
public sealed class MountTarget(string path, IDisposable? handle = null) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose() => handle?.Dispose();
}
