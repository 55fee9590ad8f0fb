using Gocker.Core.Containers;

namespace Gocker.Core.Tests.Containers;

/// <summary>GockerRoot.SweepTrash deletes only what no monitor holds: a monitor keeps an flock on its
/// container's directory until it has deleted it or kept it as a spare (native/monitor.c).</summary>
public sealed class SweepTrashTests() : TempRoot("sweep")
{
    [Fact]
    public void A_held_directory_is_left_and_a_released_one_is_swept()
    {
        var held = Path.Combine(Root.TrashDir, new string('a', 64));
        var left = Path.Combine(Root.TrashDir, new string('b', 64));
        foreach (var d in new[] { held, left })
        {
            Directory.CreateDirectory(Path.Combine(d, "upper", "etc"));
            File.WriteAllText(Path.Combine(d, "hostname"), "h\n");
        }
        using (var fd = Interop.Libc.Open(held, Interop.Libc.O_RDONLY | Interop.Libc.O_DIRECTORY))
        {
            Assert.Equal(0, Interop.Libc.Flock(fd, Interop.Libc.LOCK_EX | Interop.Libc.LOCK_NB));
            Root.SweepTrash();
            Assert.True(File.Exists(Path.Combine(held, "hostname")), "a directory its monitor holds was swept");
            Assert.False(Directory.Exists(left));
        }
        Root.SweepTrash();
        Assert.False(Directory.Exists(held));
    }
}
