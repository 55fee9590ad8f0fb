using Gocker.Core.Process;

namespace Gocker.Core.Filesystem;

/// <summary>The real <see cref="IMountSyscalls"/>: each call becomes an operation of the init plan,
/// which the container's init executes in order inside its new mount namespace (native/init.c; the
/// checks that need the filesystem, symlinks in the image above all, happen there).</summary>
public sealed class PlanMountSyscalls(InitPlanWriter plan) : IMountSyscalls
{
    private const uint S_IFCHR = 0x2000, S_IFBLK = 0x6000;
    private readonly InitPlanWriter _plan = plan;

    /// <summary>Slots of open targets (native/initplan.h INIT_MAX_SLOTS); a closed one is reused.</summary>
    private readonly Stack<int> _free = new(Enumerable.Range(0, 64).Reverse());

    public void Mount(string? source, string target, string? fstype, MountFlags flags, string? data, string? lockedFlagsOf = null) =>
        _plan.Op(InitOp.Mount).Str(source).Str(target).Str(fstype).U64((ulong)flags).Str(data).Str(lockedFlagsOf);

    public void MakeCharDevice(string path, uint major, uint minor) =>
        _plan.Op(InitOp.Mknod).Str(path).U64(S_IFCHR | 0b110_110_110).U64(major).U64(minor).U64(0).U64(0);

    public void MakeDevice(string path, DeviceNode node) =>
        _plan.Op(InitOp.Mknod).Str(path).U64((node.Block ? S_IFBLK : S_IFCHR) | node.Mode).U64(node.Major).U64(node.Minor)
            .U64(node.Uid).U64(node.Gid);

    public void Symlink(string target, string linkPath) => _plan.Op(InitOp.Symlink).Str(target).Str(linkPath);

    public void ChangeDirectory(string path) => _plan.Op(InitOp.Chdir).Str(path);

    public string PrepareTarget(string root, string relative, bool file)
    {
        _plan.Op(InitOp.Prepare).Str(root).Str(relative).U64(file ? 1UL : 0);
        // The path init creates and checks: the root and the components of relative.
        return string.Join('/', [root, .. relative.Split('/', StringSplitOptions.RemoveEmptyEntries)]);
    }

    public MountTarget OpenInRoot(string root, string destination, bool file)
    {
        if (!_free.TryPop(out int slot))
            throw new GockerException("too many mounts open at once in the init plan");
        _plan.Op(InitOp.Open).U64((ulong)slot).Str(root).Str(destination).U64(file ? 1UL : 0);
        return new MountTarget($"\u0001{slot}", new Slot(this, slot));
    }

    public void When(string path, PathKinds kinds, Action then)
    {
        int mark = _plan.BeginIf(path, kinds);
        then();
        _plan.EndIf(mark);
    }

    public void PivotRoot(string newRoot) => _plan.Op(InitOp.Pivot).Str(newRoot);

    private sealed class Slot(PlanMountSyscalls owner, int slot) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            if (_closed)
                return;
            _closed = true;
            owner._plan.Op(InitOp.Close).U64((ulong)slot);
            owner._free.Push(slot);
        }
    }
}
