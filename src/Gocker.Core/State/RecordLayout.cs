using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Text;
using System.Text.Unicode;

namespace Gocker.Core.State;

/// <summary>
/// The bytes of containers.db, layout version 1. Little-endian, fixed offsets; nothing else.
/// <code>
/// file    = header (512 bytes) + slot[0] + slot[1] + ... (512 bytes each)
///           slot N starts at 512 + N * 512: every header and record lies inside one 512-byte block,
///           so inside one page (4 KiB, 16 KiB, 64 KiB all divide by 512); the kernel copies a write page
///           by page and stops between pages for SIGKILL, so a killed writer can never leave half a
///           record, only whole records from a batch. The checksum still catches anything else.
///
/// header  offset size  field
///           0     8    magic "GOCKERDB"
///           8     4    layout version (u32) = 1           readers refuse any other value
///          12     4    record size (u32) = 512
///          16     4    header size (u32) = 512
///          20     4    slot count (u32)                  slots written so far (grows, and shrinks when
///                                                         trailing slots are freed); a reader reads
///                                                         min(slot count, complete slots in the file)
///          24    36    reserved, 0
///          60     4    CRC-32C of bytes [0, 60)
///          64   448    reserved, 0 (not checksummed)
///
/// record  offset size  field
///           0     4    CRC-32C of bytes [4, 512)          the whole rest of the record, padding too
///           4     1    in use: 1 = a container, 0 = a free slot (then every field below is 0 but
///                       the generation)
///           5     1    status (ContainerStatus)
///           6     1    flags: bit 0 = OOM killed
///           7     1    reserved, 0
///           8     8    generation (u64): +1 on every write of the slot, free or used
///          16    32    id, raw bytes (the 64 hex characters decoded)
///          48     4    pid (i32)                          container init, host pid namespace
///          52     4    monitor pid (i32)
///          56     8    pid start time (u64)               /proc/PID/stat field 22
///          64     4    exit code (i32)
///          68     1    name length    (0..128)
///          69     1    image length   (0..96)
///          70     1    command length (0..96)
///          71     1    ports length   (0..64)
///          72     8    created at  (i64, unix ns)
///          80     8    started at  (i64, unix ns)
///          88     8    finished at (i64, unix ns)
///          96    32    reserved, 0
///         128   128    name,    UTF-8, zero padded
///         256    96    image,   UTF-8, zero padded, cut at a character boundary
///         352    96    command, UTF-8, zero padded, cut at a character boundary
///         448    64    ports,   UTF-8, zero padded, cut at a character boundary
///         512          end
/// </code>
/// The structs below map these bytes directly (explicit offsets, no marshalling); they are only ever
/// used through <c>ref</c> over a byte buffer. The layout is little-endian, which every Linux target of
/// .NET is; <see cref="EnsureLittleEndian"/> refuses anything else rather than write a foreign layout.
/// Plain BCL by choice, after measuring DotNext.Unsafe's candidates: a DotNext memory-mapped view read no
/// faster than 64 KiB preads (and would SIGBUS on a file cut under it), and its FNV-1a is word-wise and
/// slower than the crc32 instruction, and a checksum on disk must be a fixed, documented algorithm.
/// </summary>
internal static class RecordLayout
{
    public const int HeaderSize = 512;
    public const int RecordSize = 512;
    public const uint Version = 1;
    public const int HeaderChecksumOffset = 60;
    public const int IdBytes = 32;
    public const int NameMax = 128, ImageMax = 96, CommandMax = 96, PortsMax = 64;
    public const byte FlagOomKilled = 1;

    /// <summary>"GOCKERDB" read as a little-endian u64.</summary>
    public static readonly ulong Magic = BinaryPrimitives.ReadUInt64LittleEndian("GOCKERDB"u8);

    public static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("the gocker state file layout is little-endian");
    }

    public static ref Header AsHeader(Span<byte> bytes) => ref MemoryMarshal.AsRef<Header>(bytes[..HeaderSize]);
    public static ref readonly Header AsHeader(ReadOnlySpan<byte> bytes) => ref MemoryMarshal.AsRef<Header>(bytes[..HeaderSize]);
    public static ref Record AsRecord(Span<byte> bytes) => ref MemoryMarshal.AsRef<Record>(bytes[..RecordSize]);
    public static ref readonly Record AsRecord(ReadOnlySpan<byte> bytes) => ref MemoryMarshal.AsRef<Record>(bytes[..RecordSize]);

    [StructLayout(LayoutKind.Explicit, Size = HeaderSize)]
    public struct Header
    {
        [FieldOffset(0)] public ulong Magic;
        [FieldOffset(8)] public uint Version;
        [FieldOffset(12)] public uint StoredRecordSize;
        [FieldOffset(16)] public uint StoredHeaderSize;
        [FieldOffset(20)] public uint SlotCount;
        [FieldOffset(HeaderChecksumOffset)] public uint Checksum;
    }

    [StructLayout(LayoutKind.Explicit, Size = RecordSize)]
    public struct Record
    {
        [FieldOffset(0)] public uint Checksum;
        [FieldOffset(4)] public byte InUse;
        [FieldOffset(5)] public byte Status;
        [FieldOffset(6)] public byte Flags;
        [FieldOffset(8)] public ulong Generation;
        [FieldOffset(16)] public Bytes32 Id;
        [FieldOffset(48)] public int Pid;
        [FieldOffset(52)] public int MonitorPid;
        [FieldOffset(56)] public ulong PidStartTime;
        [FieldOffset(64)] public int ExitCode;
        [FieldOffset(68)] public byte NameLength;
        [FieldOffset(69)] public byte ImageLength;
        [FieldOffset(70)] public byte CommandLength;
        [FieldOffset(71)] public byte PortsLength;
        [FieldOffset(72)] public long CreatedAt;
        [FieldOffset(80)] public long StartedAt;
        [FieldOffset(88)] public long FinishedAt;
        [FieldOffset(128)] public Bytes128 Name;
        [FieldOffset(256)] public Bytes96 Image;
        [FieldOffset(352)] public Bytes96 Command;
        [FieldOffset(448)] public Bytes64 Ports;
    }

    [InlineArray(32)] public struct Bytes32 { private byte _b; }
    [InlineArray(64)] public struct Bytes64 { private byte _b; }
    [InlineArray(96)] public struct Bytes96 { private byte _b; }
    [InlineArray(128)] public struct Bytes128 { private byte _b; }

    // ---- header ----

    public static void WriteHeader(Span<byte> dest, int slotCount)
    {
        dest[..HeaderSize].Clear();
        ref var h = ref AsHeader(dest);
        h.Magic = Magic;
        h.Version = Version;
        h.StoredRecordSize = RecordSize;
        h.StoredHeaderSize = HeaderSize;
        h.SlotCount = (uint)slotCount;
        h.Checksum = Crc32C(dest[..HeaderChecksumOffset]);
    }

    /// <summary>The slot count of a valid header; a GockerException for anything this gocker must not
    /// read or write. The version is checked before anything else: a later layout may move the rest.</summary>
    public static int ReadHeader(ReadOnlySpan<byte> bytes, string path)
    {
        ref readonly var h = ref AsHeader(bytes);
        if (h.Magic != Magic)
            throw new GockerException($"state file {path} is not a gocker state file (bad magic)");
        if (h.Version != Version)
            throw new GockerException($"state file {path} has layout version {h.Version}; this gocker reads {Version}");
        if (h.Checksum != Crc32C(bytes[..HeaderChecksumOffset]) || h.StoredRecordSize != RecordSize || h.StoredHeaderSize != HeaderSize
            || h.SlotCount > int.MaxValue / RecordSize)
            throw new GockerException($"state file {path} has a corrupt header");
        return (int)h.SlotCount;
    }

    // ---- records ----

    public enum SlotState : byte { Free, Used, Torn }

    /// <summary>Encodes a container into a 512-byte slot. The caller has validated id and name.</summary>
    public static void WriteRecord(Span<byte> dest, ContainerRecord r, ulong generation)
    {
        dest = dest[..RecordSize];
        dest.Clear();
        ref var rec = ref AsRecord(dest);
        rec.InUse = 1;
        rec.Status = (byte)r.Status;
        rec.Flags = r.OomKilled ? FlagOomKilled : (byte)0;
        rec.Generation = generation;
        if (Convert.FromHexString(r.Id, rec.Id, out _, out int idBytes) != System.Buffers.OperationStatus.Done || idBytes != IdBytes)
            throw new ArgumentException($"container id must be 64 hex characters: {r.Id}");
        rec.Pid = r.Pid;
        rec.MonitorPid = r.MonitorPid;
        rec.PidStartTime = r.PidStartTime;
        rec.ExitCode = r.ExitCode;
        rec.CreatedAt = r.CreatedAt;
        rec.StartedAt = r.StartedAt;
        rec.FinishedAt = r.FinishedAt;
        rec.NameLength = PutString(r.Name, rec.Name);
        rec.ImageLength = PutString(r.Image, rec.Image);
        rec.CommandLength = PutString(r.Command, rec.Command);
        rec.PortsLength = PutString(r.Ports, rec.Ports);
        rec.Checksum = Crc32C(dest[4..]);
    }

    /// <summary>A free slot: zeros but the generation, checksummed like any record.</summary>
    public static void WriteFree(Span<byte> dest, ulong generation)
    {
        dest = dest[..RecordSize];
        dest.Clear();
        ref var rec = ref AsRecord(dest);
        rec.Generation = generation;
        rec.Checksum = Crc32C(dest[4..]);
    }

    /// <summary>The generation field of a slot, valid or not (a torn slot's may be garbage).</summary>
    public static ulong GenerationOf(ReadOnlySpan<byte> slot) => AsRecord(slot).Generation;

    /// <summary>Decodes one slot. Torn: the checksum fails, or the fields are impossible (an unknown
    /// in-use value, a string length beyond its field), which a correct writer never produces.</summary>
    public static SlotState ReadRecord(ReadOnlySpan<byte> slot, int index, StringCache strings, out ContainerRecord? record) =>
        ReadRecord(slot, index, strings, ChecksumValid(slot), out record);

    /// <summary><see cref="ReadRecord(ReadOnlySpan{byte}, int, StringCache, out ContainerRecord?)"/> with
    /// the checksum already verified (<see cref="VerifyRecords"/>).</summary>
    public static SlotState ReadRecord(ReadOnlySpan<byte> slot, int index, StringCache strings, bool checksumValid, out ContainerRecord? record)
    {
        record = null;
        ref readonly var rec = ref AsRecord(slot);
        var state = Classify(in rec, checksumValid);
        if (state != SlotState.Used)
            return state;
        record = new ContainerRecord
        {
            Slot = index,
            Generation = rec.Generation,
            Id = HexLower(rec.Id),
            Name = strings.Name(((ReadOnlySpan<byte>)rec.Name)[..rec.NameLength]),
            Status = (ContainerStatus)rec.Status,
            Pid = rec.Pid,
            PidStartTime = rec.PidStartTime,
            MonitorPid = rec.MonitorPid,
            ExitCode = rec.ExitCode,
            OomKilled = (rec.Flags & FlagOomKilled) != 0,
            CreatedAt = rec.CreatedAt,
            StartedAt = rec.StartedAt,
            FinishedAt = rec.FinishedAt,
            Image = strings.Image(((ReadOnlySpan<byte>)rec.Image)[..rec.ImageLength]),
            Command = strings.Command(((ReadOnlySpan<byte>)rec.Command)[..rec.CommandLength]),
            Ports = strings.Ports(((ReadOnlySpan<byte>)rec.Ports)[..rec.PortsLength]),
        };
        return SlotState.Used;
    }

    /// <summary>What a slot holds, given whether its checksum is valid: torn when it is not, or when the
    /// fields are impossible (an unknown in-use value, a string length beyond its field).</summary>
    public static SlotState Classify(in Record rec, bool checksumValid)
    {
        if (!checksumValid)
            return SlotState.Torn;
        if (rec.InUse == 0)
            return SlotState.Free;
        if (rec.InUse != 1 || rec.NameLength > NameMax || rec.ImageLength > ImageMax
            || rec.CommandLength > CommandMax || rec.PortsLength > PortsMax)
            return SlotState.Torn;
        return SlotState.Used;
    }

    /// <summary>UTF-8 of <paramref name="value"/> into <paramref name="field"/>, cut after the last whole
    /// character that fits (Utf8.FromUtf16 never writes part of a character); returns the byte count.</summary>
    public static byte PutString(string value, Span<byte> field)
    {
        if (value.Length == 0)
            return 0;
        Utf8.FromUtf16(value, field, out _, out int written, replaceInvalidSequences: true, isFinalBlock: true);
        return (byte)written;
    }

    public static int Utf8Length(string value) => Encoding.UTF8.GetByteCount(value);

    /// <summary>The 64-character id from its 32 bytes. Not Convert.ToHexStringLower: its fast path needs
    /// SSSE3, which NativeAOT's default x64 target does not assume, and its scalar path costs 140 ns per
    /// id (1.4 ms of a 10,000-container `ps`); two characters per table lookup cost about 20.</summary>
    public static string HexLower(in Bytes32 id) => string.Create(IdBytes * 2, id, static (chars, bytes) =>
    {
        var pairs = MemoryMarshal.Cast<char, uint>(chars);
        ReadOnlySpan<uint> table = HexPairs;
        for (int i = 0; i < IdBytes; i++)
            pairs[i] = table[bytes[i]];
    });

    /// <summary>For each byte, its two lowercase hex digits as two UTF-16 chars in one u32 (little-endian:
    /// the first digit in the low half).</summary>
    private static readonly uint[] HexPairs = BuildHexPairs();

    private static uint[] BuildHexPairs()
    {
        var t = new uint[256];
        for (int b = 0; b < 256; b++)
            t[b] = "0123456789abcdef"[b >> 4] | ((uint)"0123456789abcdef"[b & 15] << 16);
        return t;
    }

    // ---- checksum ----

    /// <summary>CRC-32C (Castagnoli; init and final xor ~0): the check value of "123456789" is
    /// 0xE3069283. BitOperations.Crc32C is the CPU's crc32 instruction (SSE4.2, ARMv8 CRC) with a table
    /// fallback, and it is a fixed, documented polynomial, which an on-disk format needs.</summary>
    public static bool ChecksumValid(ReadOnlySpan<byte> slot) => AsRecord(slot).Checksum == Crc32C(slot[4..RecordSize]);

    /// <summary>Checks the checksums of <paramref name="valid"/>.Length consecutive records of
    /// <paramref name="records"/>, three at a time: crc32 has a latency of 3 cycles and a throughput of 1
    /// per cycle, so three independent streams run about three times as fast as one (0.15 ms instead of
    /// 0.45 for 10,000 records).</summary>
    /// <remarks>NativeAOT's default x64 target does not assume SSE4.2, so BitOperations.Crc32C tests for it at
    /// every call and the loop keeps its state in memory; the instruction is therefore used directly
    /// here, behind one test per call (twice as fast).</remarks>
    public static void VerifyRecords(ReadOnlySpan<byte> records, Span<bool> valid)
    {
        int count = valid.Length, i = 0;
        if (records.Length < count * RecordSize)
            throw new ArgumentException("fewer records than flags", nameof(records));
        if (Sse42.X64.IsSupported)
            i = VerifyRecordsSse42(records, valid);
        else if (Crc32.Arm64.IsSupported)
            i = VerifyRecordsArm64(records, valid);
        for (; i < count; i++)
            valid[i] = ChecksumValid(records.Slice(i * RecordSize, RecordSize));
    }

    /// <summary>Three records at a time; returns how many were checked.</summary>
    private static int VerifyRecordsSse42(ReadOnlySpan<byte> records, Span<bool> valid)
    {
        int count = valid.Length, i = 0;
        ref byte p = ref MemoryMarshal.GetReference(records);
        for (; i + 3 <= count; i += 3)
        {
            ref byte a = ref Unsafe.Add(ref p, i * RecordSize);
            ref byte b = ref Unsafe.Add(ref a, RecordSize);
            ref byte c = ref Unsafe.Add(ref b, RecordSize);
            ulong ca = ~0u, cb = ~0u, cc = ~0u;
            for (nint at = 4; at + 8 <= RecordSize; at += 8)
            {
                ca = Sse42.X64.Crc32(ca, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref a, at)));
                cb = Sse42.X64.Crc32(cb, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, at)));
                cc = Sse42.X64.Crc32(cc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref c, at)));
            }
            // 508 bytes = 63 * 8 + 4
            const int Tail = RecordSize - 4;
            uint ta = Sse42.Crc32((uint)ca, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref a, Tail)));
            uint tb = Sse42.Crc32((uint)cb, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, Tail)));
            uint tc = Sse42.Crc32((uint)cc, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref c, Tail)));
            valid[i] = ~ta == Unsafe.ReadUnaligned<uint>(ref a);
            valid[i + 1] = ~tb == Unsafe.ReadUnaligned<uint>(ref b);
            valid[i + 2] = ~tc == Unsafe.ReadUnaligned<uint>(ref c);
        }
        return i;
    }

    /// <summary>As <see cref="VerifyRecordsSse42"/>, with ARMv8's crc32cx.</summary>
    private static int VerifyRecordsArm64(ReadOnlySpan<byte> records, Span<bool> valid)
    {
        int count = valid.Length, i = 0;
        ref byte p = ref MemoryMarshal.GetReference(records);
        for (; i + 3 <= count; i += 3)
        {
            ref byte a = ref Unsafe.Add(ref p, i * RecordSize);
            ref byte b = ref Unsafe.Add(ref a, RecordSize);
            ref byte c = ref Unsafe.Add(ref b, RecordSize);
            uint ca = ~0u, cb = ~0u, cc = ~0u;
            for (nint at = 4; at + 8 <= RecordSize; at += 8)
            {
                ca = Crc32.Arm64.ComputeCrc32C(ca, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref a, at)));
                cb = Crc32.Arm64.ComputeCrc32C(cb, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, at)));
                cc = Crc32.Arm64.ComputeCrc32C(cc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref c, at)));
            }
            const int Tail = RecordSize - 4;
            ca = Crc32.ComputeCrc32C(ca, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref a, Tail)));
            cb = Crc32.ComputeCrc32C(cb, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, Tail)));
            cc = Crc32.ComputeCrc32C(cc, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref c, Tail)));
            valid[i] = ~ca == Unsafe.ReadUnaligned<uint>(ref a);
            valid[i + 1] = ~cb == Unsafe.ReadUnaligned<uint>(ref b);
            valid[i + 2] = ~cc == Unsafe.ReadUnaligned<uint>(ref c);
        }
        return i;
    }

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        ref byte p = ref MemoryMarshal.GetReference(data);
        nuint i = 0, n = (nuint)data.Length;
        for (; i + 8 <= n; i += 8)
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
        if (i + 4 <= n)
        {
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i)));
            i += 4;
        }
        for (; i < n; i++)
            crc = BitOperations.Crc32C(crc, Unsafe.Add(ref p, i));
        return ~crc;
    }
}

/// <summary>`ps` over many containers decodes the same image, command and ports summaries again and
/// again; one string per distinct value (remembering the last value per field) saves most of those
/// allocations. Names are unique, but empty names are common.</summary>
internal sealed class StringCache
{
    private readonly Field _image = new(), _command = new(), _ports = new();

    public string Name(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? "" : Encoding.UTF8.GetString(utf8);
    public string Image(ReadOnlySpan<byte> utf8) => _image.Get(utf8);
    public string Command(ReadOnlySpan<byte> utf8) => _command.Get(utf8);
    public string Ports(ReadOnlySpan<byte> utf8) => _ports.Get(utf8);

    private sealed class Field
    {
        private readonly byte[] _last = new byte[RecordLayout.NameMax];
        private int _lastLength = -1;
        private string _lastValue = "";

        public string Get(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty)
                return "";
            if (utf8.Length == _lastLength && utf8.SequenceEqual(_last.AsSpan(0, _lastLength)))
                return _lastValue;
            _lastValue = Encoding.UTF8.GetString(utf8);
            utf8.CopyTo(_last);
            _lastLength = utf8.Length;
            return _lastValue;
        }
    }
}
