using Gocker.Core;
using Gocker.Core.Process;

namespace Gocker.Cli.Commands;

/// <summary>Standard output for an archive (save, export without -o): refused when it is a terminal,
/// as Docker does.</summary>
internal static class ArchiveStdout
{
    public static Stream Open() =>
        Terminal.IsTerminal(1)
            ? throw new GockerException("cowardly refusing to save to a terminal. Use the -o flag or redirect", ExitCodes.CommandFailed)
            : Console.OpenStandardOutput();
}
