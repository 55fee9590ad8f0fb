using System.Buffers.Binary;
using System.Text;
using Gocker.Core.Process;

namespace Gocker.Core.Tests.Process;

/// <summary>The header gocker writes into the config pipe once the container exists: native/monitor.c
/// reads exactly a 4-byte little-endian length and that many bytes of NUL-terminated key=value strings,
/// and leaves the rest of the pipe (init's plan) alone.</summary>
public class MonitorHeaderTests
{
    [Fact]
    public void Is_a_length_then_nul_terminated_keys_and_values()
    {
        var header = MonitorLauncher.Header(new MonitorRecord(1536, 512, 10 << 20, 3,
            ["/sys/fs/cgroup/memory/gocker/x/tasks", "/sys/fs/cgroup/pids/gocker/x/tasks"]));
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
        Assert.Equal(header.Length - 4, length);
        var strings = Encoding.UTF8.GetString(header, 4, length).Split('\0');
        Assert.Equal(
            ["lock_off=1536", "lock_len=512", "log_max=10485760", "log_files=3",
             "cgroup=/sys/fs/cgroup/memory/gocker/x/tasks", "cgroup=/sys/fs/cgroup/pids/gocker/x/tasks", ""],
            strings);
    }

    [Fact]
    public void Longer_than_the_monitors_buffer_is_refused_before_anything_is_written()
    {
        var paths = Enumerable.Range(0, 16).Select(i => "/sys/fs/cgroup/" + new string('c', 300) + $"/{i}/tasks").ToList();
        var e = Assert.Throws<GockerException>(() => MonitorLauncher.Header(new MonitorRecord(0, 512, 1, 1, paths)));
        Assert.Contains("too long", e.Message);
    }
}
