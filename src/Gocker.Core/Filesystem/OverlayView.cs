namespace Gocker.Core.Filesystem;

/// <summary>The merged tree that overlayfs shows for a stack of layer directories (top first), computed
/// from the directories themselves, without a mount: export reads a container's upper dir over its
/// image's layers, and a new volume's copy-up reads the image's layers. overlayfs's rules: the top-most
/// layer that has a name decides; a whiteout (character device 0/0) hides the name in every layer
/// below; a directory merges with the directories of the same name below it, unless it is opaque
/// (trusted.overlay.opaque=y) or a lower layer has a non-directory (or a whiteout) there, which ends
/// the merge.</summary>
public sealed class OverlayView : IRootView
{
    private readonly IReadOnlyList<string> _layers;
    private readonly ILayerFs _fs;
    private readonly IReadOnlySet<string> _hiddenInTop;

    /// <summary>A merged entry: from <see cref="Layer"/>; for a directory, every layer that contributes
    /// to its contents, top first.</summary>
    public sealed record Node(string Rel, LayerEntry Entry, string Layer, IReadOnlyList<string> DirLayers)
    {
        public string Name => Rel[(Rel.LastIndexOf('/') + 1)..];
    }

    /// <param name="hiddenInTop">Paths of the top layer treated as absent (export leaves out the empty
    /// files that only exist as bind-mount targets).</param>
    public OverlayView(IReadOnlyList<string> layersTopFirst, ILayerFs fs, IReadOnlySet<string>? hiddenInTop = null)
    {
        if (layersTopFirst.Count == 0)
            throw new ArgumentException("an overlay needs at least one layer", nameof(layersTopFirst));
        _layers = layersTopFirst;
        _fs = fs;
        _hiddenInTop = hiddenInTop ?? new HashSet<string>();
    }

    public Node Root =>
        Merge("", 0, _layers) ?? throw new GockerException($"layer {_layers[0]} has no root directory");

    /// <summary>The merged entry at <paramref name="rel"/> (no symlink followed), or null.</summary>
    public Node? Lookup(string rel)
    {
        var node = Root;
        foreach (var part in rel.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node.Entry.Type != EntryType.Directory)
                return null;
            var child = Child(node, part);
            if (child is null)
                return null;
            node = child;
        }
        return node;
    }

    /// <summary>The merged contents of a directory, by name (ordinal).</summary>
    public List<Node> Children(Node dir)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var layer in dir.DirLayers)
            names.UnionWith(_fs.List(layer, dir.Rel));
        var children = new List<Node>(names.Count);
        foreach (var name in names)
        {
            if (Child(dir, name) is { } child)
                children.Add(child);
        }
        return children;
    }

    /// <summary>Everything under <paramref name="dir"/>, parents before their contents.</summary>
    public IEnumerable<Node> Walk(Node dir)
    {
        foreach (var child in Children(dir))
        {
            yield return child;
            if (child.Entry.Type == EntryType.Directory)
                foreach (var below in Walk(child))
                    yield return below;
        }
    }

    public Stream OpenRead(Node file) => _fs.OpenRead(file.Layer, file.Rel);

    public string ReadLink(Node link) => _fs.ReadLink(link.Layer, link.Rel);

    NodeKind IRootView.Kind(string rel) => Lookup(rel)?.Entry.Type switch
    {
        null => NodeKind.Missing,
        EntryType.Directory => NodeKind.Directory,
        EntryType.Symlink => NodeKind.Symlink,
        _ => NodeKind.Other,
    };

    string IRootView.ReadLink(string rel) =>
        Lookup(rel) is { Entry.Type: EntryType.Symlink } node ? ReadLink(node) : "";

    private Node? Child(Node dir, string name) =>
        Merge(dir.Rel.Length == 0 ? name : $"{dir.Rel}/{name}", 0, dir.DirLayers);

    /// <summary>The name <paramref name="rel"/> looked up in the layers of its parent directory.</summary>
    private Node? Merge(string rel, int from, IReadOnlyList<string> parentLayers)
    {
        for (int i = from; i < parentLayers.Count; i++)
        {
            var layer = parentLayers[i];
            var e = Stat(layer, rel);
            if (e is null)
                continue;
            if (e.IsWhiteout)
                return null;
            if (e.Type != EntryType.Directory)
                return new Node(rel, e, layer, []);
            var dirLayers = new List<string> { layer };
            if (rel.Length > 0 && _fs.IsOpaque(layer, rel))
                return new Node(rel, e, layer, dirLayers);
            for (int j = i + 1; j < parentLayers.Count; j++)
            {
                var lower = Stat(parentLayers[j], rel);
                if (lower is null)
                    continue;
                if (lower.Type != EntryType.Directory)
                    break; // a whiteout or a file: nothing below it shows
                dirLayers.Add(parentLayers[j]);
                if (rel.Length > 0 && _fs.IsOpaque(parentLayers[j], rel))
                    break;
            }
            return new Node(rel, e, layer, dirLayers);
        }
        return null;
    }

    private LayerEntry? Stat(string layer, string rel) =>
        layer == _layers[0] && _hiddenInTop.Contains(rel) ? null : _fs.Lstat(layer, rel);
}
