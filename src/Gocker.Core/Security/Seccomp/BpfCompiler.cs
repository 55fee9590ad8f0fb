namespace Gocker.Core.Security.Seccomp;

/// <summary>Compiles numbered seccomp rules into a classic BPF program for x86-64.
///
/// Layout: check the architecture (anything but x86-64, i386 and x32 included, kills the process, as
/// libseccomp's bad-arch action), then the syscall number: numbers above every number the profile names
/// get ENOSYS (as runc does: a syscall newer than the profile then looks absent, and libc falls back to an
/// older one instead of failing on EPERM; a filter that allows by default allows them), then a binary search over ranges of numbers that share one
/// outcome — ~9 comparisons for any syscall instead of a linear scan of hundreds — ending in a return or,
/// for syscalls with argument conditions, a jump to their block of tests.
///
/// Classic BPF jumps only forward; conditional jumps reach 255 instructions, so far targets are reached
/// with BPF_JA (32-bit offset) and conditional jumps only skip one instruction or stay inside a rule.</summary>
public sealed class BpfCompiler
{
    private readonly List<(BpfInstruction Insn, int JtLabel, int JfLabel, int KLabel)> _code = [];
    private readonly List<int> _labels = [];

    public static byte[] Compile(SeccompRuleSet set) => BpfInstruction.Encode(new BpfCompiler().Build(set));

    public List<BpfInstruction> Build(SeccompRuleSet set)
    {
        // Arch check; the number is loaded once and stays in A through the search.
        Emit(BpfInstruction.LdAbsW, 0, 0, SeccompData.Arch);
        Emit(BpfInstruction.JeqK, 1, 0, SeccompData.AuditArchX86_64);
        Emit(BpfInstruction.RetK, 0, 0, SeccompAction.KillProcess);
        Emit(BpfInstruction.LdAbsW, 0, 0, SeccompData.Nr);
        Emit(BpfInstruction.JgeK, 0, 1, SeccompData.X32SyscallBit);
        Emit(BpfInstruction.RetK, 0, 0, SeccompAction.KillProcess);

        var byNumber = set.Rules.GroupBy(r => r.Number).ToDictionary(g => g.Key, g => g.ToList());
        if (byNumber.Count == 0)
        {
            Emit(BpfInstruction.RetK, 0, 0, set.DefaultAction);
            return Link();
        }
        // Above the highest number named: ENOSYS, unless everything not named is allowed anyway.
        int max = byNumber.Keys.Max();
        Emit(BpfInstruction.JgtK, 0, 1, (uint)max);
        Emit(BpfInstruction.RetK, 0, 0, set.DefaultAction == SeccompAction.Allow ? SeccompAction.Allow : SeccompAction.ErrnoOf(SeccompAction.ENOSYS));

        // Outcome per number: a plain action, or a block of argument tests (one block per number).
        var blocks = new List<(int Label, List<SeccompRule> Rules)>();
        var outcome = new (uint Action, int Block)[max + 1];
        for (int nr = 0; nr <= max; nr++)
        {
            outcome[nr] = (set.DefaultAction, -1);
            if (!byNumber.TryGetValue(nr, out var rules))
                continue;
            // First match in profile order; a rule without conditions always matches.
            int stop = rules.FindIndex(r => r.Conditions.Count == 0);
            var tested = stop < 0 ? rules : rules[..stop];
            uint fallback = stop < 0 ? set.DefaultAction : rules[stop].Action;
            if (tested.All(r => r.Action == fallback))
                outcome[nr] = (fallback, -1); // the tests could not change the outcome
            else
            {
                blocks.Add((NewLabel(), [.. tested, new SeccompRule(nr, fallback, [])]));
                outcome[nr] = (0, blocks.Count - 1);
            }
        }
        var ranges = new List<(int Lo, uint Action, int Block)>();
        for (int nr = 0; nr <= max; nr++)
            if (nr == 0 || outcome[nr] != outcome[nr - 1])
                ranges.Add((nr, outcome[nr].Action, outcome[nr].Block));

        Search(ranges, 0, ranges.Count - 1, blocks);
        foreach (var (label, rules) in blocks)
        {
            Place(label);
            EmitBlock(rules);
        }
        return Link();
    }

    /// <summary>A holds nr. ranges[a..b] cover the numbers from ranges[a].Lo on.</summary>
    private void Search(List<(int Lo, uint Action, int Block)> ranges, int a, int b, List<(int Label, List<SeccompRule> Rules)> blocks)
    {
        if (a == b)
        {
            var r = ranges[a];
            if (r.Block < 0)
                Emit(BpfInstruction.RetK, 0, 0, r.Action);
            else
                EmitJump(blocks[r.Block].Label);
            return;
        }
        int mid = (a + b + 1) / 2;
        int right = NewLabel();
        Emit(BpfInstruction.JgeK, 0, 1, (uint)ranges[mid].Lo);
        EmitJump(right);
        Search(ranges, a, mid - 1, blocks);
        Place(right);
        Search(ranges, mid, b, blocks);
    }

    /// <summary>The rules in order; the last one has no conditions and ends the block.</summary>
    private void EmitBlock(List<SeccompRule> rules)
    {
        foreach (var rule in rules)
        {
            int next = NewLabel();
            foreach (var c in rule.Conditions)
                EmitCondition(c, next);
            Emit(BpfInstruction.RetK, 0, 0, rule.Action);
            Place(next);
        }
    }

    /// <summary>Falls through when the 64-bit condition holds, jumps to <paramref name="fail"/> otherwise.
    /// The high words are compared first; the low words decide only when the high words are equal.</summary>
    private void EmitCondition(ArgCondition c, int fail)
    {
        uint hi = (uint)(c.Value >> 32), lo = (uint)c.Value;
        uint hiArg = SeccompData.ArgHigh(c.Index), loArg = SeccompData.ArgLow(c.Index);
        int ok = NewLabel();
        switch (c.Op)
        {
            case ArgOp.Equal:
                Load(hiArg); Cond(BpfInstruction.JeqK, hi, Next, fail);
                Load(loArg); Cond(BpfInstruction.JeqK, lo, Next, fail);
                break;
            case ArgOp.NotEqual:
                Load(hiArg); Cond(BpfInstruction.JeqK, hi, Next, ok);
                Load(loArg); Cond(BpfInstruction.JeqK, lo, fail, ok);
                break;
            case ArgOp.MaskedEqual:
                uint dHi = (uint)(c.ValueTwo >> 32), dLo = (uint)c.ValueTwo;
                Load(hiArg); Emit(BpfInstruction.AndK, 0, 0, hi); Cond(BpfInstruction.JeqK, dHi, Next, fail);
                Load(loArg); Emit(BpfInstruction.AndK, 0, 0, lo); Cond(BpfInstruction.JeqK, dLo, Next, fail);
                break;
            case ArgOp.Greater or ArgOp.GreaterOrEqual:
                Load(hiArg); Cond(BpfInstruction.JgtK, hi, ok, Next); Cond(BpfInstruction.JeqK, hi, Next, fail);
                Load(loArg); Cond(c.Op == ArgOp.Greater ? BpfInstruction.JgtK : BpfInstruction.JgeK, lo, ok, fail);
                break;
            case ArgOp.Less or ArgOp.LessOrEqual:
                Load(hiArg); Cond(BpfInstruction.JgtK, hi, fail, Next); Cond(BpfInstruction.JeqK, hi, Next, ok);
                Load(loArg); Cond(c.Op == ArgOp.Less ? BpfInstruction.JgeK : BpfInstruction.JgtK, lo, fail, ok);
                break;
        }
        Place(ok);
    }

    // --- assembler -------------------------------------------------------------------------------

    private const int Next = -1;

    private int NewLabel()
    {
        _labels.Add(-1);
        return _labels.Count - 1;
    }

    private void Place(int label) => _labels[label] = _code.Count;

    private void Emit(ushort code, byte jt, byte jf, uint k) => _code.Add((new BpfInstruction(code, jt, jf, k), Next, Next, Next));

    private void Load(uint offset) => Emit(BpfInstruction.LdAbsW, 0, 0, offset);

    private void Cond(ushort code, uint k, int jtLabel, int jfLabel) =>
        _code.Add((new BpfInstruction(code, 0, 0, k), jtLabel, jfLabel, Next));

    private void EmitJump(int label) => _code.Add((new BpfInstruction(BpfInstruction.Ja, 0, 0, 0), Next, Next, label));

    private List<BpfInstruction> Link()
    {
        if (_code.Count > BpfInstruction.MaxInstructions)
            throw new GockerException($"the seccomp profile compiles to {_code.Count} BPF instructions, more than the kernel's {BpfInstruction.MaxInstructions}");
        var program = new List<BpfInstruction>(_code.Count);
        for (int pc = 0; pc < _code.Count; pc++)
        {
            var (insn, jt, jf, k) = _code[pc];
            program.Add(insn with
            {
                Jt = jt == Next ? insn.Jt : Short(pc, jt),
                Jf = jf == Next ? insn.Jf : Short(pc, jf),
                K = k == Next ? insn.K : (uint)Offset(pc, k),
            });
        }
        return program;
    }

    private int Offset(int pc, int label)
    {
        int target = _labels[label];
        if (target <= pc)
            throw new InvalidOperationException($"BPF label {label} is not after instruction {pc}");
        return target - pc - 1;
    }

    private byte Short(int pc, int label)
    {
        int offset = Offset(pc, label);
        if (offset > byte.MaxValue)
            throw new GockerException("a seccomp rule has too many conditions to compile");
        return (byte)offset;
    }
}
