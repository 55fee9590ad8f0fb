using System.Buffers.Binary;

namespace Gocker.Core.Security.Seccomp;

/// <summary>One classic BPF instruction (struct sock_filter: u16 code, u8 jt, u8 jf, u32 k).</summary>
public readonly record struct BpfInstruction(ushort Code, byte Jt, byte Jf, uint K)
{
    public const int Size = 8;

    public const ushort LdAbsW = 0x20;   // BPF_LD | BPF_W | BPF_ABS: A = seccomp_data[k]
    public const ushort AndK = 0x54;     // BPF_ALU | BPF_AND | BPF_K
    public const ushort Ja = 0x05;       // BPF_JMP | BPF_JA: pc += k
    public const ushort JeqK = 0x15;     // BPF_JMP | BPF_JEQ | BPF_K
    public const ushort JgtK = 0x25;     // BPF_JMP | BPF_JGT | BPF_K (unsigned)
    public const ushort JgeK = 0x35;     // BPF_JMP | BPF_JGE | BPF_K (unsigned)
    public const ushort RetK = 0x06;     // BPF_RET | BPF_K

    /// <summary>The kernel's limit (BPF_MAXINSNS).</summary>
    public const int MaxInstructions = 4096;

    public static byte[] Encode(IReadOnlyList<BpfInstruction> program)
    {
        var bytes = new byte[program.Count * Size];
        for (int i = 0; i < program.Count; i++)
        {
            var span = bytes.AsSpan(i * Size, Size);
            BinaryPrimitives.WriteUInt16LittleEndian(span, program[i].Code);
            span[2] = program[i].Jt;
            span[3] = program[i].Jf;
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], program[i].K);
        }
        return bytes;
    }

    public static List<BpfInstruction> Decode(ReadOnlySpan<byte> bytes)
    {
        var list = new List<BpfInstruction>(bytes.Length / Size);
        for (int i = 0; i + Size <= bytes.Length; i += Size)
            list.Add(new BpfInstruction(BinaryPrimitives.ReadUInt16LittleEndian(bytes[i..]), bytes[i + 2], bytes[i + 3],
                BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i + 4)..])));
        return list;
    }
}

/// <summary>struct seccomp_data offsets: int nr; u32 arch; u64 instruction_pointer; u64 args[6].</summary>
public static class SeccompData
{
    public const uint Nr = 0, Arch = 4;

    /// <summary>x86-64 is little-endian: the low word of an argument comes first.</summary>
    public static uint ArgLow(int index) => (uint)(16 + 8 * index);

    public static uint ArgHigh(int index) => (uint)(16 + 8 * index + 4);

    /// <summary>AUDIT_ARCH_X86_64 = EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE.</summary>
    public const uint AuditArchX86_64 = 0xC000003E;

    /// <summary>x32 system calls arrive with the x86-64 arch and this bit set in nr.</summary>
    public const uint X32SyscallBit = 0x40000000;
}
