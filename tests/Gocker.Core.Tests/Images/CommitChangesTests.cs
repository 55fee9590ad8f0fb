using Gocker.Core.Images;

namespace Gocker.Core.Tests.Images;

public sealed class CommitChangesTests
{
    [Fact]
    public void Applies_docker_instructions()
    {
        var config = new ImageRunConfig { Env = ["A=1", "B=2"] };
        CommitChanges.Parse([
            "CMD [\"sleep\", \"1\"]", "ENTRYPOINT echo hi", "ENV A=3 C=\"x y\"", "ENV D four", "WORKDIR /w", "USER u",
            "EXPOSE 80 53/udp", "LABEL k=v", "STOPSIGNAL SIGINT", "VOLUME /data",
        ]).Apply(config);
        Assert.Equal(["sleep", "1"], config.Cmd);
        Assert.Equal(["/bin/sh", "-c", "echo hi"], config.Entrypoint);
        Assert.Equal(["B=2", "A=3", "C=x y", "D=four"], config.Env);
        Assert.Equal(("/w", "u", "SIGINT"), (config.WorkingDir, config.User, config.StopSignal));
        Assert.Equal(["53/udp", "80/tcp"], config.ExposedPorts!.Keys.Order());
        Assert.Equal("v", config.Labels!["k"]);
        Assert.Equal(["/data"], config.Volumes!.Keys);
    }

    [Theory]
    [InlineData("RUN echo")]
    [InlineData("FROM x")]
    [InlineData("EXPOSE 99999")]
    [InlineData("ENV")]
    public void Refuses_what_docker_refuses(string change) =>
        Assert.Throws<GockerException>(() => CommitChanges.Parse([change]));
}
