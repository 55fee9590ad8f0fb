using Gocker.Core.Process;

namespace Gocker.Core.Tests;

public sealed class ProcessIdentityTests : IDisposable
{
    private readonly string _proc = Directory.CreateTempSubdirectory("gocker-proc-").FullName;

    public void Dispose() => Directory.Delete(_proc, true);

    private static string Stat(int pid, string comm, ulong start) =>
        $"{pid} ({comm}) S 1 {pid} {pid} 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 {start} 1000 100 18446744073709551615";

    [Fact]
    public void ReadsTheStartTimeEvenWhenTheNameHasSpacesAndParens()
    {
        var id = ProcessIdentity.ParseStat(42, Stat(42, "evil) S 1 2 (x", 123456));
        Assert.Equal(new ProcessIdentity(42, 123456), id);
    }

    [Fact]
    public void AReusedPidIsNotTheSameProcess()
    {
        Directory.CreateDirectory($"{_proc}/42");
        File.WriteAllText($"{_proc}/42/stat", Stat(42, "sh", 999));
        Assert.True(new ProcessIdentity(42, 999).IsAlive(_proc));
        Assert.False(new ProcessIdentity(42, 123).IsAlive(_proc));
        Assert.False(new ProcessIdentity(43, 999).IsAlive(_proc));
    }

    [Fact]
    public void RoundTripsThroughText() =>
        Assert.Equal(new ProcessIdentity(7, 8), ProcessIdentity.Parse(new ProcessIdentity(7, 8).ToString()));

    [Fact]
    public void ThisProcessIsAlive() => Assert.True(ProcessIdentity.Of(Environment.ProcessId)!.Value.IsAlive());
}

public class ZombieTests
{
    [Fact]
    public void AZombieHasNoIdentity() =>
        Assert.Null(ProcessIdentity.ParseStat(5, "5 (sh) Z 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 777 0 0 0"));
}
