using System.Text;
using Gocker.Core.Filesystem;

namespace Gocker.Core.Tests.Filesystem;

/// <summary>In-memory layer directories for <see cref="OverlayView"/> and <see cref="InRootPath"/>:
/// whiteouts and opaque directories without root.</summary>
internal sealed class FakeLayers : ILayerFs
{
    private sealed record Item(LayerEntry Entry, string? Link = null, bool Opaque = false, string Content = "");

    private readonly Dictionary<string, Dictionary<string, Item>> _layers = new();

    public FakeLayers Layer(string name)
    {
        _layers[name] = new() { [""] = new Item(Dir()) };
        return this;
    }

    public FakeLayers Dir(string layer, string rel, bool opaque = false, uint mode = 0b111_101_101) =>
        Add(layer, rel, new Item(Dir(mode), Opaque: opaque));

    public FakeLayers File(string layer, string rel, string content = "", uint uid = 0, ulong inode = 0, ulong links = 1) =>
        Add(layer, rel, new Item(new LayerEntry(EntryType.Regular, 0b110_100_100, uid, 0, content.Length, 1000, Inode: inode, Links: links), Content: content));

    public FakeLayers Link(string layer, string rel, string target) =>
        Add(layer, rel, new Item(new LayerEntry(EntryType.Symlink, 0b111_111_111, 0, 0, target.Length, 1000), Link: target));

    public FakeLayers Whiteout(string layer, string rel) =>
        Add(layer, rel, new Item(new LayerEntry(EntryType.CharDevice, 0, 0, 0, 0, 1000)));

    public FakeLayers Device(string layer, string rel, uint major, uint minor) =>
        Add(layer, rel, new Item(new LayerEntry(EntryType.CharDevice, 0b110_110_110, 0, 0, 0, 1000, major, minor)));

    private FakeLayers Add(string layer, string rel, Item item)
    {
        var parts = rel.Split('/');
        for (int i = 1; i < parts.Length; i++)
            _layers[layer].TryAdd(string.Join('/', parts[..i]), new Item(Dir()));
        _layers[layer][rel] = item;
        return this;
    }

    private static LayerEntry Dir(uint mode = 0b111_101_101) => new(EntryType.Directory, mode, 0, 0, 4096, 1000);

    public LayerEntry? Lstat(string layer, string rel) => _layers[layer].GetValueOrDefault(rel)?.Entry;

    public IEnumerable<string> List(string layer, string rel) =>
        _layers[layer].Keys.Where(k => k.Length > 0 && Parent(k) == rel).Select(k => k[(k.LastIndexOf('/') + 1)..]);

    public bool IsOpaque(string layer, string rel) => _layers[layer].GetValueOrDefault(rel)?.Opaque == true;

    public string ReadLink(string layer, string rel) => _layers[layer][rel].Link!;

    public Stream OpenRead(string layer, string rel) => new MemoryStream(Encoding.UTF8.GetBytes(_layers[layer][rel].Content));

    private static string Parent(string rel) => rel.LastIndexOf('/') is var i and >= 0 ? rel[..i] : "";
}
