using System.Runtime.InteropServices;
using System.Text;

namespace Gocker.Core.Interop;

/// <summary>NUL-terminated UTF-8 strings and string vectors (argv, envp) in one unmanaged block,
/// alive until disposed. Built before a clone so that the child touches no allocator.</summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private readonly List<nint> _blocks = new();

    public byte* String(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        if (s.Contains('\0'))
            throw new GockerException("a string passed to the container holds a NUL byte");
        byte* p = (byte*)NativeMemory.Alloc((nuint)n + 1);
        _blocks.Add((nint)p);
        fixed (char* c = s)
            Encoding.UTF8.GetBytes(c, s.Length, p, n);
        p[n] = 0;
        return p;
    }

    public byte** Vector(IReadOnlyList<string> items)
    {
        byte** v = (byte**)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(nint));
        _blocks.Add((nint)v);
        for (int i = 0; i < items.Count; i++)
            v[i] = String(items[i]);
        v[items.Count] = null;
        return v;
    }

    public void Dispose()
    {
        foreach (var b in _blocks)
            NativeMemory.Free((void*)b);
        _blocks.Clear();
    }
}
