using Gocker.Core.Network;

namespace Gocker.Core.Tests.Network;

public class PortSpecTests
{
    private static string Show(IEnumerable<PortRequest> rs) =>
        string.Join(" ", rs.Select(r => $"{r.HostIp}:{r.HostPortFirst}-{r.HostPortLast}:{r.ContainerPort}/{r.Protocol}"));

    [Theory]
    [InlineData("80", "0.0.0.0:0-0:80/tcp")]
    [InlineData("80/udp", "0.0.0.0:0-0:80/udp")]
    [InlineData("80/TCP", "0.0.0.0:0-0:80/tcp")]
    [InlineData("80-82", "0.0.0.0:0-0:80/tcp 0.0.0.0:0-0:81/tcp 0.0.0.0:0-0:82/tcp")]
    [InlineData("18080:80", "0.0.0.0:18080-18080:80/tcp")]
    [InlineData("18080:80/udp", "0.0.0.0:18080-18080:80/udp")]
    [InlineData("8080-8081:80-81", "0.0.0.0:8080-8080:80/tcp 0.0.0.0:8081-8081:81/tcp")]
    [InlineData("8080-8090:80", "0.0.0.0:8080-8090:80/tcp")]
    [InlineData("127.0.0.1:18080:80", "127.0.0.1:18080-18080:80/tcp")]
    [InlineData("127.0.0.1::80", "127.0.0.1:0-0:80/tcp")]
    [InlineData("192.0.2.2:5353:53/udp", "192.0.2.2:5353-5353:53/udp")]
    [InlineData("65535:1", "0.0.0.0:65535-65535:1/tcp")]
    public void EveryForm(string spec, string expected) => Assert.Equal(expected, Show(PortSpec.Parse(spec)));

    [Theory]
    [InlineData("", "invalid publish spec: empty")]
    [InlineData("abc", "invalid containerPort: abc (in -p abc)")]
    [InlineData("0", "invalid containerPort: 0 (ports are 1-65535, in -p 0)")]
    [InlineData("65536", "invalid containerPort: 65536 (ports are 1-65535, in -p 65536)")]
    [InlineData("70000:80", "invalid hostPort: 70000 (ports are 1-65535, in -p 70000:80)")]
    [InlineData("0:80", "invalid hostPort: 0 (ports are 1-65535, in -p 0:80)")]
    [InlineData("-1:80", "invalid hostPort: -1 (in -p -1:80)")]
    [InlineData("80:", "no port specified: 80:<empty>")]
    [InlineData("80/sctp", "invalid proto: sctp (in -p 80/sctp: tcp or udp)")]
    [InlineData("80/", "invalid proto:  (in -p 80/: tcp or udp)")]
    [InlineData("1.2.3:80:80", "invalid IP address: 1.2.3 (in -p 1.2.3:80:80)")]
    [InlineData("localhost:80:80", "invalid IP address: localhost (in -p localhost:80:80)")]
    [InlineData("[::1]:80:80", "invalid publish spec [::1]:80:80: IPv6 host addresses are not supported")]
    [InlineData("1:2:3:4", "invalid publish spec: 1:2:3:4")]
    [InlineData("8080-8082:80-81", "invalid ranges specified for container and host Ports: 80-81 and 8080-8082")]
    [InlineData("82-80", "invalid containerPort: 82-80 (the range ends before it starts, in -p 82-80)")]
    [InlineData("123456:80", "invalid hostPort: 123456 (in -p 123456:80)")]
    [InlineData("+80", "invalid containerPort: +80 (in -p +80)")]
    public void EveryError(string spec, string message) =>
        Assert.Equal(message, Assert.Throws<GockerException>(() => PortSpec.Parse(spec)).Message);

    [Fact]
    public void AHostPortTwiceInOneRunIsRefused()
    {
        Assert.Equal("Bind for 127.0.0.1:8080 failed: port is already allocated",
            Assert.Throws<GockerException>(() => PortSpec.ParseAll(["8080:80", "127.0.0.1:8080:81"])).Message);
        // Different protocols or addresses do not clash.
        Assert.Equal(3, PortSpec.ParseAll(["8080:80", "8080:80/udp", "81"]).Count);
        Assert.Equal(2, PortSpec.ParseAll(["127.0.0.1:8080:80", "192.0.2.2:8080:80"]).Count);
    }
}
