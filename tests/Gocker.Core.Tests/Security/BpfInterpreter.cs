using Gocker.Core.Security.Seccomp;

namespace Gocker.Core.Tests.Security;

/// <summary>A classic BPF interpreter for seccomp programs, as the kernel runs them (the subset seccomp allows
/// that the compiler emits: absolute word loads, AND, jumps, returns). Any other opcode, a jump out of the
/// program or falling off its end is a test failure: the kernel would have refused the program.</summary>
internal static class BpfInterpreter
{
    public const uint AuditArchI386 = 0x40000003;

    public static uint Run(byte[] program, int nr, ulong[]? args = null, uint arch = SeccompData.AuditArchX86_64) =>
        Run(BpfInstruction.Decode(program), nr, args, arch);

    public static uint Run(List<BpfInstruction> program, int nr, ulong[]? args = null, uint arch = SeccompData.AuditArchX86_64)
    {
        Assert.InRange(program.Count, 1, BpfInstruction.MaxInstructions);
        var data = new byte[64];
        BitConverter.TryWriteBytes(data.AsSpan(0), nr);
        BitConverter.TryWriteBytes(data.AsSpan(4), arch);
        for (int i = 0; i < 6; i++)
            BitConverter.TryWriteBytes(data.AsSpan(16 + 8 * i), args is not null && i < args.Length ? args[i] : 0UL);
        uint a = 0;
        for (int pc = 0, steps = 0; ; pc++, steps++)
        {
            Assert.True(pc < program.Count, $"ran off the end of the program at {pc}");
            Assert.True(steps < 10_000, "too many steps");
            var i = program[pc];
            switch (i.Code)
            {
                case BpfInstruction.LdAbsW:
                    Assert.True(i.K % 4 == 0 && i.K + 4 <= 64, $"bad load offset {i.K}");
                    a = BitConverter.ToUInt32(data, (int)i.K);
                    break;
                case BpfInstruction.AndK: a &= i.K; break;
                case BpfInstruction.Ja: pc += (int)i.K; break;
                case BpfInstruction.JeqK: pc += a == i.K ? i.Jt : i.Jf; break;
                case BpfInstruction.JgtK: pc += a > i.K ? i.Jt : i.Jf; break;
                case BpfInstruction.JgeK: pc += a >= i.K ? i.Jt : i.Jf; break;
                case BpfInstruction.RetK: return i.K;
                default: Assert.Fail($"opcode 0x{i.Code:x} at {pc}"); break;
            }
        }
    }
}
