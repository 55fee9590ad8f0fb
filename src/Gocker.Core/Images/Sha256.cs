using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gocker.Core.Images;

/// <summary>SHA-256 (FIPS 180-4) in managed code, incremental. System.Security.Cryptography is not
/// an option: it dlopens OpenSSL, which loads a second libc into the static binary (see README).
/// No allocation per block: the message schedule lives on the stack, the state in fields.</summary>
public sealed class Sha256
{
    public const int HashSize = 32;
    private const int BlockSize = 64;

    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private uint _h0, _h1, _h2, _h3, _h4, _h5, _h6, _h7;
    private readonly byte[] _buffer = new byte[BlockSize];
    private int _buffered;
    private ulong _length;

    public Sha256() => Reset();

    public void Reset()
    {
        (_h0, _h1, _h2, _h3) = (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a);
        (_h4, _h5, _h6, _h7) = (0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);
        _buffered = 0;
        _length = 0;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _length += (ulong)data.Length;
        if (_buffered > 0)
        {
            int take = Math.Min(BlockSize - _buffered, data.Length);
            data[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            data = data[take..];
            if (_buffered < BlockSize)
                return;
            Blocks(_buffer);
            _buffered = 0;
        }
        int whole = data.Length & ~(BlockSize - 1);
        if (whole > 0)
            Blocks(data[..whole]);
        data[whole..].CopyTo(_buffer);
        _buffered = data.Length - whole;
    }

    /// <summary>The digest of everything appended; the instance is reset for reuse.</summary>
    public byte[] GetHashAndReset()
    {
        var hash = new byte[HashSize];
        Finish(hash);
        Reset();
        return hash;
    }

    /// <summary>"sha256:" and the lowercase hex digest; the instance is reset.</summary>
    public string GetDigestAndReset() => "sha256:" + Convert.ToHexStringLower(GetHashAndReset());

    private void Finish(Span<byte> hash)
    {
        ulong bits = _length * 8;
        Span<byte> pad = stackalloc byte[BlockSize * 2];
        pad.Clear();
        pad[0] = 0x80;
        // 0x80, zeros, then the bit length in the last 8 bytes of the final block.
        int padLength = (_buffered < 56 ? 56 : 120) - _buffered;
        BinaryPrimitives.WriteUInt64BigEndian(pad[padLength..], bits);
        ulong saved = _length;
        Append(pad[..(padLength + 8)]);
        _length = saved;
        Span<uint> h = [_h0, _h1, _h2, _h3, _h4, _h5, _h6, _h7];
        for (int i = 0; i < 8; i++)
            BinaryPrimitives.WriteUInt32BigEndian(hash[(i * 4)..], h[i]);
    }

    public static byte[] HashData(ReadOnlySpan<byte> data)
    {
        var sha = new Sha256();
        sha.Append(data);
        return sha.GetHashAndReset();
    }

    /// <summary>"sha256:" + hex of <paramref name="data"/>.</summary>
    public static string Digest(ReadOnlySpan<byte> data) => "sha256:" + Convert.ToHexStringLower(HashData(data));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Blocks(ReadOnlySpan<byte> blocks)
    {
        Span<uint> w = stackalloc uint[64];
        ReadOnlySpan<uint> k = K;
        uint h0 = _h0, h1 = _h1, h2 = _h2, h3 = _h3, h4 = _h4, h5 = _h5, h6 = _h6, h7 = _h7;
        for (int offset = 0; offset < blocks.Length; offset += BlockSize)
        {
            var block = blocks.Slice(offset, BlockSize);
            for (int i = 0; i < 16; i++)
                w[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(i * 4)..]);
            for (int i = 16; i < 64; i++)
            {
                uint w15 = w[i - 15], w2 = w[i - 2];
                uint s0 = BitOperations.RotateRight(w15, 7) ^ BitOperations.RotateRight(w15, 18) ^ (w15 >> 3);
                uint s1 = BitOperations.RotateRight(w2, 17) ^ BitOperations.RotateRight(w2, 19) ^ (w2 >> 10);
                w[i] = w[i - 16] + s0 + w[i - 7] + s1;
            }
            uint a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
            for (int i = 0; i < 64; i++)
            {
                uint t1 = h + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25))
                    + ((e & f) ^ (~e & g)) + k[i] + w[i];
                uint t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22))
                    + ((a & b) ^ (a & c) ^ (b & c));
                h = g; g = f; f = e; e = d + t1;
                d = c; c = b; b = a; a = t1 + t2;
            }
            h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
        }
        (_h0, _h1, _h2, _h3, _h4, _h5, _h6, _h7) = (h0, h1, h2, h3, h4, h5, h6, h7);
    }
}
