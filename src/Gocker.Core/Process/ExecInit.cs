using System.Text.Json;
using Gocker.Core.Containers;
using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Process;

/// <summary>The child of `gocker exec`, already inside every namespace of the container (the native
/// constructor joined them before this runtime started): its root is the container's root. Resolves
/// the user and the command there, as init does, then becomes the command.</summary>
public static class ExecInit
{
    public const int ConfigFd = 4, ConsoleFd = 5, ReportFd = 6;

    /// <summary>Returns only on failure, with the exit code; the message goes to stderr, or with
    /// -d (no stdio) to the caller over <see cref="ReportFd"/>.</summary>
    public static int Run(TextWriter stderr, bool detached)
    {
        int statusFd = detached ? ReportFd : -1;
        try
        {
            ExecConfig config;
            using (var stream = new FileStream(new SafeFileHandle(ConfigFd, true), FileAccess.Read, 1))
                config = JsonSerializer.Deserialize(stream, ExecJsonContext.Default.ExecConfig)
                    ?? throw new GockerException("exec: empty configuration");
            var user = UserResolver.Resolve(config.User, "/etc/passwd", "/etc/group");
            var env = new List<string>(config.Env);
            if (EnvironmentBuilder.Get(env, "HOME") is null)
                env.Add($"HOME={user.Home}");
            var workdir = string.IsNullOrEmpty(config.WorkingDir) ? "/" : config.WorkingDir;
            var resolved = CommandResolver.Resolve(config.Args[0], EnvironmentBuilder.Get(env, "PATH"), CommandResolver.Probe);
            if (resolved.Path is null)
                throw new GockerException(resolved.Error!, resolved.ExitCode);
            SafeFileHandle? tty = config.Tty ? Terminal.OpenForContainer(new SafeFileHandle(ConsoleFd, true)) : null;
            var (code, _, what) = NativeExec.Exec(resolved.Path, config.Args, env, workdir, user, tty, statusFd, deathSignal: 0,
                security: config.Security);
            if (detached)
                return code; // the native side wrote the record on the report pipe already
            throw new GockerException(what, code);
        }
        catch (GockerException e)
        {
            return Report(stderr, detached, e.ExitCode, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return Report(stderr, detached, ExitCodes.GockerError, $"exec: {e.Message}");
        }
    }

    private static int Report(TextWriter stderr, bool detached, int code, string message)
    {
        if (!detached)
        {
            stderr.WriteLine($"gocker: {message}");
            return code;
        }
        try
        {
            using var report = new FileStream(new SafeFileHandle(ReportFd, true), FileAccess.Write, 1);
            report.Write(System.Text.Encoding.UTF8.GetBytes(new StatusRecord(code, 0, message).Format()));
        }
        catch (IOException) { }
        return code;
    }
}
