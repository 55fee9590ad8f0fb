using System.CommandLine;
using Gocker.Core.Containers;
using Gocker.Core.Images;

namespace Gocker.Cli;

internal static class Services
{
    public static ContainerService Containers(ParseResult r) =>
        new(GlobalOptions.GetRoot(r), BundledImages.DefaultImagesDir, Environment.GetEnvironmentVariable);
}
