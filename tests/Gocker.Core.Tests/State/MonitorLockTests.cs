using Gocker.Core.State;

namespace Gocker.Core.Tests.State;

public class MonitorLockTests
{
    [Fact]
    public void AHeldLockIsSeenFromAnotherOpenFile()
    {
        using var t = new TempStore();
        var a = t.Add(TempStore.NewRecord("a"));
        var b = t.Add(TempStore.NewRecord("b"));
        Assert.False(t.Store.IsMonitorAlive(a));

        using (t.Store.HoldMonitorLock(a))
        {
            Assert.True(t.Store.IsMonitorAlive(a));
            Assert.False(t.Store.IsMonitorAlive(b)); // the range is exactly one record
            using var other = new StateStore(t.Path);
            Assert.True(other.IsMonitorAlive(a));
        }
        Assert.False(t.Store.IsMonitorAlive(a));
    }

    [Fact]
    public void TwoHoldersAreBothFine()
    {
        using var t = new TempStore();
        var a = t.Add(TempStore.NewRecord("a"));
        var first = t.Store.HoldMonitorLock(a);
        using (t.Store.HoldMonitorLock(a)) // read locks share
        {
            first.Dispose();
            Assert.True(t.Store.IsMonitorAlive(a));
        }
        Assert.False(t.Store.IsMonitorAlive(a));
    }

    [Fact]
    public void TheLockBlocksNeitherReadersNorWriters()
    {
        using var t = new TempStore();
        var a = t.Add(TempStore.NewRecord("a"));
        using var _ = t.Store.HoldMonitorLock(a);
        t.Store.Update(tx => tx.Put(tx.Find("a") with { Status = ContainerStatus.Running }));
        Assert.Equal(ContainerStatus.Running, t.Store.ReadAll().Records[0].Status);
        Assert.True(t.Store.IsMonitorAlive(a));
    }

    [Fact]
    public void NoFileOrNoSlotIsNotAlive()
    {
        using var t = new TempStore();
        var r = TempStore.NewRecord("a");
        Assert.False(t.Store.IsMonitorAlive(r));                 // Slot -1
        Assert.False(t.Store.IsMonitorAlive(r with { Slot = 0 })); // no file yet
        Assert.Throws<ArgumentException>(() => t.Store.HoldMonitorLock(r));
        t.Store.WaitMonitorExit(r with { Slot = 0 });              // returns at once
    }

    [Fact]
    public async Task WaitMonitorExitReturnsWhenTheLockGoes()
    {
        using var t = new TempStore();
        var a = t.Add(TempStore.NewRecord("a"));
        t.Store.WaitMonitorExit(a); // no monitor: at once

        var held = t.Store.HoldMonitorLock(a);
        var wait = Task.Run(() => t.Store.WaitMonitorExit(a));
        await Task.Delay(300);
        Assert.False(wait.IsCompleted);
        held.Dispose();
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(t.Store.IsMonitorAlive(a)); // and the waiter kept nothing
    }
}
