using Gocker.Core.Containers;

namespace Gocker.Core.Tests.Containers;

public sealed class ExitTombstonesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"gocker-tombstones-{Guid.NewGuid():N}");
    private readonly GockerRoot _root;

    public ExitTombstonesTests()
    {
        Directory.CreateDirectory(_dir);
        _root = new GockerRoot(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Id(char c) => new(c, 64);

    [Fact]
    public void A_written_code_is_read_back_and_another_id_has_none()
    {
        ExitTombstones.Write(_root, Id('a'), 137);
        ExitTombstones.Write(_root, Id('b'), 0);
        Assert.Equal(137, ExitTombstones.Read(_root, Id('a')));
        Assert.Equal(0, ExitTombstones.Read(_root, Id('b')));
        Assert.Null(ExitTombstones.Read(_root, Id('c')));
    }

    [Fact]
    public void The_tombstone_is_a_symlink_to_the_code_in_a_directory_of_the_minute()
    {
        var before = DateTime.UtcNow;
        ExitTombstones.Write(_root, Id('a'), 3);
        var bucket = Assert.Single(Directory.GetDirectories(Path.Combine(_dir, "exits")));
        Assert.Matches("^[0-9]{12}$", Path.GetFileName(bucket));
        Assert.True(string.CompareOrdinal(Path.GetFileName(bucket), before.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture)) >= 0);
        Assert.Equal("3", new FileInfo(Path.Combine(bucket, Id('a'))).LinkTarget);
    }

    [Fact]
    public void A_second_write_of_the_same_id_replaces_the_first()
    {
        ExitTombstones.Write(_root, Id('a'), 1);
        ExitTombstones.Write(_root, Id('a'), 2);
        Assert.Equal(2, ExitTombstones.Read(_root, Id('a')));
    }

    [Fact]
    public void A_tombstone_written_as_a_file_by_an_earlier_version_is_still_read()
    {
        var bucket = Path.Combine(_dir, "exits", DateTime.UtcNow.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(bucket);
        File.WriteAllText(Path.Combine(bucket, Id('f')), "42");
        Assert.Equal(42, ExitTombstones.Read(_root, Id('f')));
    }

    [Fact]
    public void Minutes_older_than_ten_are_swept_when_a_new_minute_is_opened()
    {
        var old = Path.Combine(_dir, "exits", "200001010000");
        Directory.CreateDirectory(old);
        File.WriteAllText(Path.Combine(old, Id('o')), "1");
        ExitTombstones.Write(_root, Id('a'), 0);
        Assert.False(Directory.Exists(old));
        Assert.Null(ExitTombstones.Read(_root, Id('o')));
    }
}
