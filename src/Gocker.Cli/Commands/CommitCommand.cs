using System.CommandLine;
using Gocker.Core.Images;

namespace Gocker.Cli.Commands;

/// <summary>`gocker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]`: prints the new image id.</summary>
internal static class CommitCommand
{
    public static Command Create()
    {
        var container = new Argument<string>("CONTAINER");
        var reference = new Argument<string?>("REPOSITORY[:TAG]") { Arity = ArgumentArity.ZeroOrOne };
        var message = new Option<string>("--message", "-m") { Description = "Commit message" };
        var author = new Option<string>("--author", "-a") { Description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")" };
        var change = new Option<string[]>("--change", "-c") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Apply Dockerfile instruction to the created image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)" };
        var pause = new Option<bool>("--pause", "-p") { Description = "Pause container during commit (needs its cgroup)", DefaultValueFactory = _ => true, Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("commit", "Create a new image from a container's changes") { container, reference, message, author, change, pause };
        command.SetAction(r =>
        {
            var options = new CommitOptions(r.GetValue(container)!, r.GetValue(reference), r.GetValue(message), r.GetValue(author),
                r.GetValue(change) ?? [], r.GetValue(pause));
            Console.WriteLine(new ImageCommitter(GlobalOptions.GetRoot(r), TerminalProgress.ForStderr()).Commit(options));
            return 0;
        });
        return command;
    }
}
