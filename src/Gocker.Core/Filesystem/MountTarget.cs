namespace Gocker.Core.Filesystem;

/// <summary>A mount target opened by <see cref="IMountSyscalls.OpenInRoot"/>: <see cref="Path"/> names it
/// for mount(2) while this is not disposed (in the init plan: the slot init opened it in, which init
/// mounts on as /proc/self/fd/N).</summary>
public sealed class MountTarget(string path, IDisposable? handle = null) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose() => handle?.Dispose();
}
