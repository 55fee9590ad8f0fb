using Gocker.Core.Formatting;

namespace Gocker.Core.Tests.Formatting;

public class PsFilterTests
{
    private static readonly DateTimeOffset T = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static ContainerView C(string id, string name, string image, ContainerState state, int exit = 0, bool started = true) =>
        new(id, name, image, "sh", state, exit, false, T, started ? T : null, state == ContainerState.Exited ? T : null, "")
        {
            Labels = new Dictionary<string, string> { ["env"] = name == "web" ? "prod" : "dev" },
        };

    private static readonly ContainerView[] All =
    [
        C("aaaa1111", "web", "nginx:latest", ContainerState.Running),
        C("bbbb2222", "web-db", "postgres:16", ContainerState.Exited, 3),
        C("cccc3333", "job", "alpine", ContainerState.Exited, 0),
        C("dddd4444", "new", "alpine:3.19", ContainerState.Created, started: false),
        C("eeee5555", "nap", "docker.io/library/alpine:latest", ContainerState.Paused),
    ];

    private static string[] Names(params string[] filters) =>
        PsFilter.Parse(filters).Apply(All).Select(c => c.Name).ToArray();

    [Fact]
    public void NoFilterKeepsEverything()
    {
        Assert.Equal(5, Names().Length);
        Assert.True(PsFilter.Parse([]).IsEmpty);
    }

    [Fact]
    public void StatusSameKeyIsOr() => Assert.Equal(["web", "nap"], Names("status=running", "status=paused"));

    [Fact]
    public void DifferentKeysAreAnd() => Assert.Equal(["web-db"], Names("status=exited", "name=web"));

    [Fact]
    public void NameIsSubstringOrRegex()
    {
        Assert.Equal(["web", "web-db"], Names("name=web"));
        Assert.Equal(["web"], Names("name=^web$"));
        Assert.Equal(["web"], Names("name=^/web$"));
        Assert.Equal(["job", "nap"], Names("name=job", "name=na"));
    }

    [Fact]
    public void IdMatchesPrefix() => Assert.Equal(["job"], Names("id=cccc"));

    [Fact]
    public void AncestorMatchesWithOrWithoutLatest()
    {
        Assert.Equal(["job", "nap"], Names("ancestor=alpine"));
        Assert.Equal(["job", "nap"], Names("ancestor=alpine:latest"));
        Assert.Equal(["new"], Names("ancestor=alpine:3.19"));
        Assert.Equal(["web"], Names("ancestor=nginx"));
    }

    [Fact]
    public void ExitedMatchesOnlyStoppedContainers()
    {
        Assert.Equal(["job"], Names("exited=0"));
        Assert.Equal(["web-db", "job"], Names("exited=3", "exited=0"));
    }

    [Fact]
    public void Label()
    {
        Assert.Equal(["web"], Names("label=env=prod"));
        Assert.Equal(5, Names("label=env").Length);
        Assert.Empty(Names("label=missing"));
    }

    [Fact]
    public void KeysAreCaseInsensitiveAndTrimmed() => Assert.Equal(["web"], Names(" NAME = ^web$"));

    [Fact]
    public void StatusImpliesAll()
    {
        Assert.True(PsFilter.Parse(["status=exited"]).ImpliesAll);
        Assert.False(PsFilter.Parse(["name=x"]).ImpliesAll);
    }

    [Theory]
    [InlineData("foo=bar", "invalid filter 'foo'")]
    [InlineData("status=foo", "invalid filter 'status=foo'")]
    [InlineData("status=Running", "invalid filter 'status=Running'")]
    [InlineData("exited=abc", "invalid filter 'exited=abc'")]
    [InlineData("novalue", "bad format of filter (expected name=value)")]
    public void Errors(string filter, string message)
    {
        var e = Assert.Throws<GockerException>(() => PsFilter.Parse([filter]));
        Assert.Equal(message, e.Message);
        Assert.Equal(125, e.ExitCode);
    }
}
