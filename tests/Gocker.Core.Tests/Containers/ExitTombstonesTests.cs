using Gocker.Core.Containers;

namespace Gocker.Core.Tests.Containers;

public sealed class ExitTombstonesTests() : TempRoot("tombstones")
{

    [Fact]
    public void A_written_code_is_read_back_and_another_id_has_none()
    {
        ExitTombstones.Write(Root, Id('a'), 137);
        ExitTombstones.Write(Root, Id('b'), 0);
        Assert.Equal(137, ExitTombstones.Read(Root, Id('a')));
        Assert.Equal(0, ExitTombstones.Read(Root, Id('b')));
        Assert.Null(ExitTombstones.Read(Root, Id('c')));
    }

    [Fact]
    public void The_tombstone_is_a_symlink_to_the_code_in_a_directory_of_the_minute()
    {
        var before = DateTime.UtcNow;
        ExitTombstones.Write(Root, Id('a'), 3);
        var bucket = Assert.Single(Directory.GetDirectories(Path.Combine(Dir, "exits")));
        Assert.Matches("^[0-9]{12}$", Path.GetFileName(bucket));
        Assert.True(string.CompareOrdinal(Path.GetFileName(bucket), before.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture)) >= 0);
        Assert.Equal("3", new FileInfo(Path.Combine(bucket, Id('a'))).LinkTarget);
    }

    [Fact]
    public void A_second_write_of_the_same_id_replaces_the_first()
    {
        ExitTombstones.Write(Root, Id('a'), 1);
        ExitTombstones.Write(Root, Id('a'), 2);
        Assert.Equal(2, ExitTombstones.Read(Root, Id('a')));
    }

    [Fact]
    public void A_tombstone_written_as_a_file_by_an_earlier_version_is_still_read()
    {
        var bucket = Path.Combine(Dir, "exits", DateTime.UtcNow.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(bucket);
        File.WriteAllText(Path.Combine(bucket, Id('f')), "42");
        Assert.Equal(42, ExitTombstones.Read(Root, Id('f')));
    }

    [Fact]
    public void Minutes_older_than_ten_are_swept_when_a_new_minute_is_opened()
    {
        var old = Path.Combine(Dir, "exits", "200001010000");
        Directory.CreateDirectory(old);
        File.WriteAllText(Path.Combine(old, Id('o')), "1");
        ExitTombstones.Write(Root, Id('a'), 0);
        Assert.False(Directory.Exists(old));
        Assert.Null(ExitTombstones.Read(Root, Id('o')));
    }
}
