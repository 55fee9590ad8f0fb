using System.CommandLine;
using Gocker.Core;
using Gocker.Core.Containers;
using Gocker.Core.Formatting;

namespace Gocker.Cli.Commands;

/// <summary>`gocker inspect [-f TEMPLATE] CONTAINER...`</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var containers = ContainerArgs.Many();
        var format = new Option<string>("--format", "-f") { Description = "Format the output using a Go template" };
        var command = new Command("inspect", "Return low-level information on containers or images") { containers, format };
        command.SetAction(r =>
        {
            var fmt = r.GetValue(format);
            if (!string.IsNullOrEmpty(fmt) && fmt != "json")
                GoTemplate.Parse(fmt); // a bad template fails before anything is read
            var queries = new ContainerQueries(GlobalOptions.GetRoot(r));
            var images = new Gocker.Core.Images.ImageQueries(new Gocker.Core.Images.ImageStore(GlobalOptions.GetRoot(r)));
            var found = new List<System.Text.Json.JsonElement>();
            // Docker's order: a container of that name or id, else an image.
            int rc = ContainerArgs.ForEach(r.GetValue(containers)!, c =>
            {
                try { found.Add(InspectWriter.ToJsonElement(queries.Inspect(c))); }
                catch (GockerException e) when (e.Message.StartsWith("No such container", StringComparison.Ordinal))
                {
                    // Neither: the container's error (what this command is mostly about).
                    try { found.Add(images.Inspect(c)); }
                    catch (GockerException) { throw e; }
                }
            });
            if (found.Count > 0 || string.IsNullOrEmpty(fmt))
                Console.Out.Write(InspectWriter.Render(found, fmt));
            return rc;
        });
        return command;
    }
}
