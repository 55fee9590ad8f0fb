using Gocker.Core.Security;
using Gocker.Core.Security.Seccomp;

namespace Gocker.Core.Tests.Security;

public class SeccompTests
{
    private static readonly uint Allow = SeccompAction.Allow, Eperm = SeccompAction.ErrnoOf(1), Enosys = SeccompAction.ErrnoOf(38);
    private const ulong CloneNewUser = 0x10000000, CloneNewNs = 0x00020000, CloneThreadFlags = 0x003D0F00;

    private static int Nr(string name) => SyscallTableX86_64.Numbers[name];

    private static byte[] Default(ulong caps) =>
        BpfCompiler.Compile(SeccompRules.Resolve(DockerDefaultProfile.Build(), caps, () => new Version(6, 18, 44)));

    private static readonly byte[] DefaultProgram = Default(Capabilities.DockerDefault);

    [Theory]
    [InlineData("read")]
    [InlineData("write")]
    [InlineData("execve")]
    [InlineData("exit_group")]
    [InlineData("openat")]
    [InlineData("rt_sigreturn")]
    [InlineData("arch_prctl")]
    [InlineData("ptrace")]
    [InlineData("futex_waitv")]
    public void DefaultAllowsOrdinarySyscalls(string name) =>
        Assert.Equal(Allow, BpfInterpreter.Run(DefaultProgram, Nr(name)));

    [Theory]
    [InlineData("mount")]
    [InlineData("umount2")]
    [InlineData("pivot_root")]
    [InlineData("swapon")]
    [InlineData("reboot")]
    [InlineData("kexec_load")]
    [InlineData("init_module")]
    [InlineData("finit_module")]
    [InlineData("delete_module")]
    [InlineData("add_key")]
    [InlineData("request_key")]
    [InlineData("keyctl")]
    [InlineData("bpf")]
    [InlineData("perf_event_open")]
    [InlineData("unshare")]
    [InlineData("setns")]
    [InlineData("open_by_handle_at")]
    [InlineData("iopl")]
    [InlineData("acct")]
    [InlineData("settimeofday")]
    [InlineData("clock_settime")]
    [InlineData("userfaultfd")]
    [InlineData("sethostname")]
    public void DefaultDeniesWithEperm(string name) =>
        Assert.Equal(Eperm, BpfInterpreter.Run(DefaultProgram, Nr(name)));

    [Fact]
    public void CloneWithoutNamespaceFlagsIsAllowedAndWithThemDenied()
    {
        Assert.Equal(Allow, BpfInterpreter.Run(DefaultProgram, Nr("clone"), [CloneThreadFlags]));
        Assert.Equal(Allow, BpfInterpreter.Run(DefaultProgram, Nr("clone"), [17])); // fork(): SIGCHLD
        Assert.Equal(Eperm, BpfInterpreter.Run(DefaultProgram, Nr("clone"), [CloneNewUser | 17]));
        Assert.Equal(Eperm, BpfInterpreter.Run(DefaultProgram, Nr("clone"), [CloneNewNs]));
        // The high word counts too: the whole 64-bit value is compared.
        Assert.Equal(Allow, BpfInterpreter.Run(DefaultProgram, Nr("clone"), [0x1_0000_0011UL]));
    }

    [Fact]
    public void Clone3AnswersEnosysSoThatLibcFallsBackToClone() =>
        Assert.Equal(Enosys, BpfInterpreter.Run(DefaultProgram, Nr("clone3")));

    [Fact]
    public void SyscallsNewerThanTheProfileAnswerEnosys()
    {
        Assert.Equal(Enosys, BpfInterpreter.Run(DefaultProgram, Nr("fchmodat2")));
        // 450 is named only with CAP_SYS_NICE: without it, futex_waitv (449) is the newest the profile knows.
        Assert.Equal(Enosys, BpfInterpreter.Run(DefaultProgram, Nr("set_mempolicy_home_node")));
        var nice = Default(Capabilities.DockerDefault | (1UL << Capabilities.Number("CAP_SYS_NICE")));
        Assert.Equal(Allow, BpfInterpreter.Run(nice, Nr("set_mempolicy_home_node")));
        Assert.Equal(Enosys, BpfInterpreter.Run(DefaultProgram, 1000));
    }

    [Fact]
    public void OtherArchitecturesAndX32AreKilled()
    {
        Assert.Equal(SeccompAction.KillProcess, BpfInterpreter.Run(DefaultProgram, 0, arch: BpfInterpreter.AuditArchI386));
        Assert.Equal(SeccompAction.KillProcess, BpfInterpreter.Run(DefaultProgram, 0x40000000 | Nr("read")));
    }

    [Fact]
    public void PersonalityOnlyTheHarmlessValues()
    {
        Assert.Equal(Allow, BpfInterpreter.Run(DefaultProgram, Nr("personality"), [0]));
        Assert.Equal(Allow, BpfInterpreter.Run(DefaultProgram, Nr("personality"), [0xffffffff]));
        Assert.Equal(Allow, BpfInterpreter.Run(DefaultProgram, Nr("personality"), [0x20008]));
        Assert.Equal(Eperm, BpfInterpreter.Run(DefaultProgram, Nr("personality"), [0x0040000])); // ADDR_NO_RANDOMIZE
    }

    [Fact]
    public void VsockSocketsAreRefused()
    {
        Assert.Equal(Allow, BpfInterpreter.Run(DefaultProgram, Nr("socket"), [2, 1, 0]));   // AF_INET
        Assert.Equal(Eperm, BpfInterpreter.Run(DefaultProgram, Nr("socket"), [40, 1, 0]));  // AF_VSOCK
    }

    [Fact]
    public void CapSysAdminAllowsMountAndNamespaces()
    {
        var program = Default(Capabilities.DockerDefault | (1UL << Capabilities.SysAdmin));
        Assert.Equal(Allow, BpfInterpreter.Run(program, Nr("mount")));
        Assert.Equal(Allow, BpfInterpreter.Run(program, Nr("unshare")));
        Assert.Equal(Allow, BpfInterpreter.Run(program, Nr("clone"), [CloneNewUser]));
        Assert.Equal(Allow, BpfInterpreter.Run(program, Nr("clone3")));
        Assert.Equal(Eperm, BpfInterpreter.Run(program, Nr("reboot")));
    }

    [Fact]
    public void OtherCapabilitiesOpenTheirGroups()
    {
        var program = Default(Capabilities.DockerDefault | (1UL << Capabilities.Number("CAP_SYS_BOOT")) |
                              (1UL << Capabilities.Number("CAP_SYS_TIME")));
        Assert.Equal(Allow, BpfInterpreter.Run(program, Nr("reboot")));
        Assert.Equal(Allow, BpfInterpreter.Run(program, Nr("settimeofday")));
        Assert.Equal(Eperm, BpfInterpreter.Run(program, Nr("mount")));
    }

    [Fact]
    public void TheProgramIsSmallAndTheSearchShort()
    {
        var program = BpfInstruction.Decode(DefaultProgram);
        Assert.InRange(program.Count, 50, 600);
    }

    [Theory]
    [InlineData(0UL, false)]
    [InlineData(5UL, false)]
    [InlineData(6UL, true)]
    [InlineData(0x1_0000_0000UL, true)]
    public void ComparisonsAre64Bit(ulong arg, bool greaterThan5)
    {
        var set = new SeccompRuleSet(Eperm, [
            new SeccompRule(Nr("read"), Allow, [new ArgCondition(2, ArgOp.Greater, 5, 0)]),
            new SeccompRule(Nr("write"), Allow, [new ArgCondition(2, ArgOp.LessOrEqual, 5, 0)]),
            new SeccompRule(Nr("close"), Allow, [new ArgCondition(0, ArgOp.GreaterOrEqual, 0x1_0000_0000UL, 0)]),
            new SeccompRule(Nr("dup"), Allow, [new ArgCondition(0, ArgOp.Less, 6, 0)]),
        ]);
        var program = BpfCompiler.Compile(set);
        Assert.Equal(greaterThan5 ? Allow : Eperm, BpfInterpreter.Run(program, Nr("read"), [0, 0, arg]));
        Assert.Equal(greaterThan5 ? Eperm : Allow, BpfInterpreter.Run(program, Nr("write"), [0, 0, arg]));
        Assert.Equal(arg >= 0x1_0000_0000UL ? Allow : Eperm, BpfInterpreter.Run(program, Nr("close"), [arg]));
        Assert.Equal(greaterThan5 ? Eperm : Allow, BpfInterpreter.Run(program, Nr("dup"), [arg]));
    }

    [Fact]
    public void SeveralConditionsMustAllHoldAndRulesAreTriedInOrder()
    {
        var set = new SeccompRuleSet(Allow, [
            new SeccompRule(Nr("kill"), SeccompAction.ErrnoOf(13), [new ArgCondition(0, ArgOp.Equal, 1, 0), new ArgCondition(1, ArgOp.NotEqual, 0, 0)]),
            new SeccompRule(Nr("kill"), SeccompAction.ErrnoOf(22), [new ArgCondition(1, ArgOp.Equal, 9, 0)]),
        ]);
        var program = BpfCompiler.Compile(set);
        Assert.Equal(SeccompAction.ErrnoOf(13), BpfInterpreter.Run(program, Nr("kill"), [1, 9]));
        Assert.Equal(SeccompAction.ErrnoOf(22), BpfInterpreter.Run(program, Nr("kill"), [2, 9]));
        Assert.Equal(Allow, BpfInterpreter.Run(program, Nr("kill"), [1, 0]));
        // An allow-by-default filter has no ENOSYS cut-off: newer syscalls are allowed.
        Assert.Equal(Allow, BpfInterpreter.Run(program, 1000));
    }

    [Fact]
    public void ADenyListDeniesOnlyWhatItNames()
    {
        var set = new SeccompRuleSet(Allow, [new SeccompRule(Nr("mkdir"), Eperm, []), new SeccompRule(Nr("mkdirat"), Eperm, [])]);
        var program = BpfCompiler.Compile(set);
        Assert.Equal(Eperm, BpfInterpreter.Run(program, Nr("mkdir")));
        Assert.Equal(Eperm, BpfInterpreter.Run(program, Nr("mkdirat")));
        foreach (var name in new[] { "read", "rmdir", "openat", "utimensat", "fchmodat2" })
            Assert.Equal(Allow, BpfInterpreter.Run(program, Nr(name)));
        Assert.Equal(Allow, BpfInterpreter.Run(program, 1000));
    }

    [Fact]
    public void MaskedEqualComparesTheMaskedBitsWithTheSecondValue()
    {
        var set = new SeccompRuleSet(Eperm, [new SeccompRule(Nr("mmap"), Allow, [new ArgCondition(2, ArgOp.MaskedEqual, 0x4, 0x0)])]);
        var program = BpfCompiler.Compile(set);
        Assert.Equal(Allow, BpfInterpreter.Run(program, Nr("mmap"), [0, 0, 0x3]));     // PROT_READ|WRITE
        Assert.Equal(Eperm, BpfInterpreter.Run(program, Nr("mmap"), [0, 0, 0x7]));     // ...|PROT_EXEC
    }

    [Fact]
    public void ManyRulesStillFitAndEveryNumberIsDecided()
    {
        // Every other syscall allowed: the most ranges a profile can make.
        var rules = SyscallTableX86_64.Numbers.Values.Where(n => n % 2 == 0).Select(n => new SeccompRule(n, Allow, [])).ToList();
        var program = BpfCompiler.Compile(new SeccompRuleSet(Eperm, rules));
        foreach (var n in SyscallTableX86_64.Numbers.Values.Where(n => n < rules.Max(r => r.Number)))
            Assert.Equal(n % 2 == 0 ? Allow : Eperm, BpfInterpreter.Run(program, n));
    }
}
