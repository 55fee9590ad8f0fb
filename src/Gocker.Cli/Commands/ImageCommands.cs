using System.CommandLine;
using Gocker.Core;
using Gocker.Core.Formatting;
using Gocker.Core.Images;
using Gocker.Core.Process;

namespace Gocker.Cli.Commands;

/// <summary>import, load, save, images, tag, rmi, history, and the `image` group with Docker's aliases.</summary>
internal static class ImageCommands
{
    private static ImageService Service(ParseResult r) =>
        new(GlobalOptions.GetRoot(r), BundledImages.DefaultImagesDir, TerminalProgress.ForStderr());

    public static Command Import(string name = "import")
    {
        var file = new Argument<string>("FILE") { Description = "A rootfs tarball (plain or gzip), or - for stdin" };
        var reference = new Argument<string?>("REPOSITORY[:TAG]") { Arity = ArgumentArity.ZeroOrOne };
        var change = new Option<string[]>("--change", "-c") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Apply Dockerfile instruction to the created image (as commit -c)" };
        var message = new Option<string>("--message", "-m") { Description = "Set commit message for imported image" };
        var command = new Command(name, "Import the contents from a tarball to create a filesystem image") { file, reference, change, message };
        command.SetAction(r =>
        {
            var path = r.GetValue(file)!;
            var service = Service(r);
            string id;
            if (path == "-")
            {
                using var stdin = Console.OpenStandardInput();
                id = service.Import(stdin, null, "-", r.GetValue(reference), r.GetValue(change), r.GetValue(message));
            }
            else
            {
                using var input = OpenInput(path);
                id = service.Import(input, input.Length, path, r.GetValue(reference), r.GetValue(change), r.GetValue(message));
            }
            Console.WriteLine(id);
            return 0;
        });
        return command;
    }

    private static FileStream OpenInput(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GockerException($"open {path}: {e.Message}");
        }
    }

    public static Command Load(string name = "load")
    {
        var input = new Option<string>("--input", "-i") { Description = "Read from a tar archive file, instead of STDIN", HelpName = "FILE" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress the load output" };
        var command = new Command(name, "Load an image from a tar archive (docker-archive or OCI layout) or STDIN") { input, quiet };
        command.SetAction(r =>
        {
            var path = r.GetValue(input);
            var q = r.GetValue(quiet);
            var service = new ImageService(GlobalOptions.GetRoot(r), BundledImages.DefaultImagesDir, q ? null : TerminalProgress.ForStderr());
            List<string> lines;
            if (path is null)
            {
                if (Terminal.IsTerminal(0))
                    throw new GockerException("requested load from stdin, but stdin is empty");
                using var stdin = Console.OpenStandardInput();
                lines = service.Load(stdin, null);
            }
            else
            {
                OpenInput(path).Dispose();
                lines = service.Load(null, path);
            }
            if (!q)
                foreach (var line in lines)
                    Console.WriteLine(line);
            return 0;
        });
        return command;
    }

    public static Command Save(string name = "save")
    {
        var images = new Argument<string[]>("IMAGE") { CustomParser = ManyStrings.Parse, Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Write to a file, instead of STDOUT", HelpName = "FILE" };
        var format = new Option<string>("--format") { Description = "docker (docker-archive, default) or oci (OCI image layout)", DefaultValueFactory = _ => "docker" };
        var command = new Command(name, "Save one or more images to a tar archive (streamed to STDOUT by default)") { images, output, format };
        command.SetAction(r =>
        {
            var saver = new ImageSaver(new ImageStore(GlobalOptions.GetRoot(r)), TerminalProgress.ForStderr());
            var path = r.GetValue(output);
            if (path is not null)
            {
                saver.SaveToFile(r.GetValue(images)!, r.GetValue(format)!, path);
                return 0;
            }
            using var stdout = ArchiveStdout.Open();
            saver.Save(r.GetValue(images)!, r.GetValue(format)!, stdout);
            return 0;
        });
        return command;
    }

    public static Command Images(string name = "images")
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var all = new Option<bool>("--all", "-a") { Description = "Show all images (gocker has no intermediate images: the same as without)" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var format = new Option<string>("--format") { Description = "table, json, or a Go template" };
        var repository = new Argument<string?>("REPOSITORY[:TAG]") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(name, "List images") { quiet, all, noTrunc, format, repository };
        command.SetAction(r =>
        {
            var rows = new ImageQueries(new ImageStore(GlobalOptions.GetRoot(r))).List();
            if (r.GetValue(repository) is { } filter)
            {
                var (repo, tag) = filter.Contains(':') ? (filter[..filter.LastIndexOf(':')], filter[(filter.LastIndexOf(':') + 1)..]) : (filter, null);
                repo = ImageReference.Familiar(repo);
                rows = rows.Where(i => i.Repository == repo && (tag is null || i.Tag == tag)).ToList();
            }
            Console.Out.Write(ImagesTable.Render(rows, DateTimeOffset.UtcNow, r.GetValue(format), r.GetValue(quiet), r.GetValue(noTrunc)));
            return 0;
        });
        return command;
    }

    public static Command Tag(string name = "tag")
    {
        var source = new Argument<string>("SOURCE_IMAGE[:TAG]");
        var target = new Argument<string>("TARGET_IMAGE[:TAG]");
        var command = new Command(name, "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE") { source, target };
        command.SetAction(r =>
        {
            Service(r).Tag(r.GetValue(source)!, r.GetValue(target)!);
            return 0;
        });
        return command;
    }

    public static Command Remove(string name = "rmi")
    {
        var images = new Argument<string[]>("IMAGE") { CustomParser = ManyStrings.Parse, Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Force removal of the image" };
        var command = new Command(name, "Remove one or more images") { images, force };
        command.SetAction(r =>
        {
            var service = Service(r);
            return ContainerArgs.ForEach(r.GetValue(images)!, i =>
            {
                foreach (var line in service.Remove(i, r.GetValue(force)))
                    Console.WriteLine(line);
            });
        });
        return command;
    }

    public static Command History(string name = "history")
    {
        var image = new Argument<string>("IMAGE");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var human = new Option<bool>("--human", "-H") { Description = "Print sizes and dates in human readable format (the default)", DefaultValueFactory = _ => true };
        var format = new Option<string>("--format") { Description = "table, json, or a Go template" };
        var command = new Command(name, "Show the history of an image") { image, quiet, noTrunc, human, format };
        command.SetAction(r =>
        {
            var rows = new ImageQueries(new ImageStore(GlobalOptions.GetRoot(r))).History(r.GetValue(image)!);
            Console.Out.Write(ImagesTable.RenderHistory(rows, DateTimeOffset.UtcNow, r.GetValue(format), r.GetValue(quiet), r.GetValue(noTrunc),
                human: r.GetValue(human)));
            return 0;
        });
        return command;
    }

    public static Command Inspect()
    {
        var images = new Argument<string[]>("IMAGE") { CustomParser = ManyStrings.Parse, Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Format the output using a Go template" };
        var command = new Command("inspect", "Display detailed information on one or more images") { images, format };
        command.SetAction(r =>
        {
            var fmt = r.GetValue(format);
            if (!string.IsNullOrEmpty(fmt) && fmt != "json")
                GoTemplate.Parse(fmt);
            var queries = new ImageQueries(new ImageStore(GlobalOptions.GetRoot(r)));
            var found = new List<System.Text.Json.JsonElement>();
            int rc = ContainerArgs.ForEach(r.GetValue(images)!, i => found.Add(queries.Inspect(i)));
            if (found.Count > 0 || string.IsNullOrEmpty(fmt))
                Console.Out.Write(InspectWriter.Render(found, fmt));
            return rc;
        });
        return command;
    }

    /// <summary>`gocker image ls|rm|inspect|import|load|save|tag|history`.</summary>
    public static Command Group() => new("image", "Manage images")
    {
        Subcommands =
        {
            Images("ls"), Remove("rm"), Inspect(), Import(), Load(), Save(), Tag(), History(),
        },
    };
}
