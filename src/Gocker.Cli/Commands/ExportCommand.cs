using System.CommandLine;
using Gocker.Core;
using Gocker.Core.Containers;

namespace Gocker.Cli.Commands;

/// <summary>`gocker export [-o FILE] CONTAINER`</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var container = new Argument<string>("CONTAINER") { Description = "Container id, id prefix or name" };
        var output = new Option<string>("--output", "-o") { Description = "Write to a file, instead of STDOUT", HelpName = "FILE" };
        var command = new Command("export", "Export a container's filesystem as a tar archive") { container, output };
        command.SetAction(r =>
        {
            var exporter = new ContainerExporter(GlobalOptions.GetRoot(r));
            var file = r.GetValue(output);
            try
            {
                if (!string.IsNullOrEmpty(file))
                {
                    exporter.ExportToFile(r.GetValue(container)!, file);
                    return 0;
                }
                using var stdout = ArchiveStdout.Open();
                exporter.Export(r.GetValue(container)!, stdout);
                return 0;
            }
            catch (GockerException e) when (e.ExitCode == ExitCodes.GockerError)
            {
                throw new GockerException(e.Message, ExitCodes.CommandFailed);
            }
        });
        return command;
    }
}
