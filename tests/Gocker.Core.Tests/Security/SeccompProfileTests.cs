using Gocker.Core.Security;
using Gocker.Core.Security.Seccomp;

namespace Gocker.Core.Tests.Security;

public class SeccompProfileTests
{
    private static readonly Func<Version> Kernel = () => new Version(6, 1, 0);

    private static SeccompRuleSet Resolve(string json, ulong caps = 0) =>
        SeccompRules.Resolve(ContainerSecurity.ParseProfile(json), caps == 0 ? Capabilities.DockerDefault : caps, Kernel);

    private static string Error(string json) => Assert.Throws<GockerException>(() => Resolve(json)).Message;

    [Fact]
    public void DockerFormatWithNamesArgsAndErrno()
    {
        var set = Resolve("""
            {
              "defaultAction": "SCMP_ACT_ALLOW",
              "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
              "syscalls": [
                { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "comment": "no dirs" },
                { "name": "chmod", "action": "SCMP_ACT_ERRNO", "errnoRet": 13 },
                { "names": ["kill"], "action": "SCMP_ACT_KILL_PROCESS", "args": [ { "index": 1, "value": 9, "op": "SCMP_CMP_EQ" } ] },
                { "names": ["chown32", "_llseek"], "action": "SCMP_ACT_ERRNO" }
              ]
            }
            """);
        Assert.Equal(SeccompAction.Allow, set.DefaultAction);
        var program = BpfCompiler.Compile(set);
        Assert.Equal(SeccompAction.ErrnoOf(1), BpfInterpreter.Run(program, SyscallTableX86_64.Numbers["mkdir"]));
        Assert.Equal(SeccompAction.ErrnoOf(13), BpfInterpreter.Run(program, SyscallTableX86_64.Numbers["chmod"]));
        Assert.Equal(SeccompAction.KillProcess, BpfInterpreter.Run(program, SyscallTableX86_64.Numbers["kill"], [1, 9]));
        Assert.Equal(SeccompAction.Allow, BpfInterpreter.Run(program, SyscallTableX86_64.Numbers["kill"], [1, 15]));
    }

    [Fact]
    public void DefaultErrnoRetAndIncludesExcludes()
    {
        var json = """
            {
              "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
              "syscalls": [
                { "names": ["read"], "action": "SCMP_ACT_ALLOW" },
                { "names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": { "caps": ["CAP_SYS_ADMIN"] } },
                { "names": ["write"], "action": "SCMP_ACT_ALLOW", "includes": { "minKernel": "6.2" } },
                { "names": ["close"], "action": "SCMP_ACT_ALLOW", "excludes": { "arches": ["amd64"] } },
                { "names": ["dup"], "action": "SCMP_ACT_ALLOW", "includes": { "arches": ["amd64"] } }
              ]
            }
            """;
        var set = Resolve(json);
        Assert.Equal(SeccompAction.ErrnoOf(38), set.DefaultAction);
        Assert.Equal(["read", "dup"], set.Rules.Select(r => SyscallTableX86_64.Numbers.First(kv => kv.Value == r.Number).Key));
        var admin = Resolve(json, Capabilities.DockerDefault | (1UL << Capabilities.SysAdmin));
        Assert.Contains(admin.Rules, r => r.Number == SyscallTableX86_64.Numbers["mount"]);
    }

    [Theory]
    [InlineData("""{ "syscalls": [] }""", "no defaultAction")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_MAYBE" }""", "unknown action \"SCMP_ACT_MAYBE\"")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["mkdri"], "action": "SCMP_ACT_ALLOW" } ] }""", "unknown syscall \"mkdri\"")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_ABOUT" } ] } ] }""", "unknown operator \"SCMP_CMP_ABOUT\"")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 6, "value": 1, "op": "SCMP_CMP_EQ" } ] } ] }""", "argument index 6")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_Z80"] }""", "unknown architecture \"SCMP_ARCH_Z80\"")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_NOTIFY" } ] }""", "SCMP_ACT_NOTIFY")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"] } ] }""", "no action for read")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "action": "SCMP_ACT_ALLOW" } ] }""", "has no names")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "flags": ["SECCOMP_FILTER_FLAG_LOG"] }""", "flags are not supported")]
    [InlineData("""{ "defaultAction": 3 }""", "invalid seccomp profile")]
    [InlineData("""not json""", "invalid seccomp profile")]
    public void BadProfilesAreRefusedNamingTheProblem(string json, string expected)
    {
        var message = Error(json);
        Assert.StartsWith("invalid seccomp profile", message);
        Assert.Contains(expected, message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void EveryNameInTheDefaultProfileIsKnown()
    {
        var profile = DockerDefaultProfile.Build();
        foreach (var name in profile.Syscalls!.SelectMany(s => s.Names!))
            Assert.True(SyscallTableX86_64.Numbers.ContainsKey(name) || SyscallTableX86_64.OtherArchitectures.Contains(name), name);
    }
}

public class KernelVersionTests
{
    [Theory]
    [InlineData("6.18.44-fc-v857", "6.18.44")]
    [InlineData("5.15.0-91-generic", "5.15.0")]
    [InlineData("4.8", "4.8")]
    [InlineData("6.1.0-rc1", "6.1.0")]
    public void ReleasesParse(string release, string expected) =>
        Assert.Equal(Version.Parse(expected), Gocker.Core.Security.Seccomp.SeccompRules.KernelVersion(release));

    [Fact]
    public void TheRunningKernelIsKnown() =>
        Assert.True(Gocker.Core.Security.Seccomp.SeccompRules.KernelVersion() >= new Version(3, 0));
}
