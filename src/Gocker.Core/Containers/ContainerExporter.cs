using Gocker.Core.Filesystem;
using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>`export`: a container's filesystem, flattened, as a tar. Read from the overlay's layer
/// directories (the container's upper dir over the image's layers) with overlayfs's rules applied in
/// managed code, so it works the same for running and stopped containers and mounts nothing. Volume and
/// tmpfs contents are never in the upper dir, so they are never exported; the empty files that only
/// exist as bind targets for /etc/hostname, /etc/hosts and /etc/resolv.conf are left out.</summary>
public sealed class ContainerExporter(GockerRoot root)
{
    /// <summary>Upper-dir paths that init creates only as mount points for gocker's own /etc files.</summary>
    public static readonly IReadOnlySet<string> BindPlaceholders = new HashSet<string>(StringComparer.Ordinal)
    {
        "etc/hostname", "etc/hosts", "etc/resolv.conf",
    };

    public void Export(string idOrName, Stream output)
    {
        var (files, config) = Find(idOrName);
        CheckOverlayFeatures();
        using var layers = new LayerDirectories();
        var view = new OverlayView([files.Upper, .. config.LowerDirList(root)], layers, BindPlaceholders);
        OverlayTar.Write(view, output);
    }

    /// <summary>-o FILE: written beside it and renamed into place, so a failed export leaves no partial file.</summary>
    public void ExportToFile(string idOrName, string path) =>
        Images.StoreFiles.WriteStreamed(path, stream => Export(idOrName, stream));

    private (ContainerFiles Files, ContainerConfig Config) Find(string idOrName)
    {
        ContainerRecord r;
        using (var store = new StateStore(root.StateDb))
            r = StateStore.Resolve(store.ReadAll().Records, idOrName);
        var files = new ContainerFiles(root.ContainerDir(r.Id));
        return (files, ContainerConfig.Load(files.ConfigFile));
    }

    /// <summary>With redirect_dir or metacopy, overlayfs keeps renamed directories and metadata-only
    /// copies as xattrs that point into lower layers; flattening those is not built. gocker mounts the
    /// overlay with the kernel's defaults, so those defaults decide.</summary>
    private static void CheckOverlayFeatures()
    {
        foreach (var feature in new[] { "redirect_dir", "metacopy" })
        {
            string value;
            try { value = File.ReadAllText($"/sys/module/overlay/parameters/{feature}").Trim(); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (value is "Y" or "on")
                throw new GockerException($"export: this kernel's overlayfs defaults to {feature}={value}, which export cannot flatten", ExitCodes.CommandFailed);
        }
    }
}
