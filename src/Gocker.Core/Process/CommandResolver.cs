namespace Gocker.Core.Process;

/// <summary>execvp's lookup, done by exec's child inside the container (native/initprocess.c does the same for the init) (after pivot_root) with the
/// container's PATH, so that "not found" (127) and "cannot invoke" (126) are told apart before exec.</summary>
public static class CommandResolver
{
    public sealed record Result(string? Path, int ExitCode, string? Error);

    public static Result Resolve(string command, string? pathEnv, Func<string, FileKind> probe)
    {
        if (command.Length == 0)
            return new(null, ExitCodes.NotFound, "exec: \"\": executable file not found in $PATH");
        if (command.Contains('/'))
            return Check(command, command, probe, $"exec: \"{command}\": stat {command}: no such file or directory");

        foreach (var dir in (pathEnv ?? "").Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, command);
            var kind = probe(candidate);
            if (kind == FileKind.Executable)
                return new(candidate, 0, null);
        }
        return new(null, ExitCodes.NotFound, $"exec: \"{command}\": executable file not found in $PATH");
    }

    private static Result Check(string command, string path, Func<string, FileKind> probe, string missing) =>
        probe(path) switch
        {
            FileKind.Executable => new(path, 0, null),
            FileKind.Missing => new(null, ExitCodes.NotFound, missing),
            FileKind.Directory => new(null, ExitCodes.CannotInvoke, $"exec: \"{command}\": is a directory"),
            _ => new(null, ExitCodes.CannotInvoke, $"exec: \"{command}\": permission denied"),
        };

    public enum FileKind { Missing, Directory, NotExecutable, Executable }

    /// <summary>The real probe: a regular file with any execute bit (root may run it then).</summary>
    public static FileKind Probe(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (Directory.Exists(path))
                return FileKind.Directory;
            if (!info.Exists)
                return FileKind.Missing;
            const UnixFileMode anyExec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return (info.UnixFileMode & anyExec) != 0 ? FileKind.Executable : FileKind.NotExecutable;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FileKind.Missing;
        }
    }
}
