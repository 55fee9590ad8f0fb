using Gocker.Core.Filesystem;

namespace Gocker.Core.Tests.Filesystem;

public class UserMountsTests
{
    private static ContainerMount Bind(string destination) => new() { Type = ContainerMount.BindType, Source = "/src", Destination = destination };

    [Fact]
    public void Shallower_destinations_come_first_and_equals_keep_the_given_order()
    {
        ContainerMount[] given = [Bind("/a/b/c"), Bind("/z"), Bind("/a/b"), Bind("/y"), Bind("/a/b/d"), Bind("/a//x/")];
        Assert.Equal(["/z", "/y", "/a/b", "/a//x/", "/a/b/c", "/a/b/d"], UserMounts.Ordered(given).Select(m => m.Destination));
    }

    [Fact]
    public void No_mounts_is_an_empty_list() => Assert.Empty(UserMounts.Ordered([]));
}
