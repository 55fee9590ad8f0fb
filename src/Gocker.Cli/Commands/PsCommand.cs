using System.CommandLine;
using System.Runtime.InteropServices;
using Gocker.Core.Containers;
using Gocker.Core.Formatting;

namespace Gocker.Cli.Commands;

/// <summary>`gocker ps [-a] [-q] [--no-trunc] [-n N|-l] [--filter K=V] [--format F]`</summary>
internal static partial class PsCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers (default shows just running)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display container IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var last = new Option<int?>("--last", "-n") { Description = "Show n last created containers (includes all states)" };
        var latest = new Option<bool>("--latest", "-l") { Description = "Show the latest created container (includes all states)" };
        var filter = new Option<string[]>("--filter", "-f") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Filter output (status=, name=, id=, ancestor=, exited=, label=)", HelpName = "KEY=VALUE" };
        var format = new Option<string>("--format") { Description = "table, json, or a Go template ({{.ID}}, {{.Names}}, {{json .}}...)" };
        var command = new Command("ps", "List containers") { all, quiet, noTrunc, last, latest, filter, format };
        command.SetAction(r =>
        {
            var options = new PsOptions { Format = r.GetValue(format), NoTrunc = r.GetValue(noTrunc), Quiet = r.GetValue(quiet) };
            // Parse the filter and the template before touching the store: bad input changes nothing.
            var psFilter = PsFilter.Parse(r.GetValue(filter) ?? []);
            bool direct = psFilter.IsEmpty && PsTableWriter.Supports(options); // the default table or -q: no template
            if (!direct)
                GoTemplate.Parse(TemplateFormat.Prepare(PsTable.ResolveFormat(options.Format, options.Quiet, false)).Text);
            int? n = r.GetValue(latest) ? 1 : r.GetValue(last);
            var queries = new ContainerQueries(GlobalOptions.GetRoot(r));
            var list = new ContainerQueries.ListOptions(r.GetValue(all), n, psFilter, WithMounts: options.Format is { } f && (f.Contains("Mounts", StringComparison.Ordinal) || f.Contains("json", StringComparison.Ordinal)));
            using var stdout = new StdoutStream();
            // Only differences from now are shown: UTC spares loading the local time zone.
            if (direct && queries.TryWriteTable(list, options, stdout, DateTimeOffset.UtcNow))
                return 0;
            var views = queries.List(list);
            var writer = new StreamWriter(stdout) { AutoFlush = false };
            PsTable.Write(writer, views, DateTimeOffset.Now, options);
            writer.Flush();
            return 0;
        });
        return command;
    }

    /// <summary>Standard output as plain write(2) calls on fd 1. Console's stream does the same, but its
    /// first write sets up the terminal (terminfo, signal handlers), which a listing does not need. As
    /// Console's stream: EINTR is retried, a full non-blocking pipe waited for, and a closed reader
    /// (EPIPE; SIGPIPE is ignored by the runtime) ends the output silently.</summary>
    private sealed partial class StdoutStream : Stream
    {
        private const int Fd = 1, EINTR = 4, EAGAIN = 11, EPIPE = 32;
        private const short POLLOUT = 4;
        private bool _closed;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override unsafe void Write(ReadOnlySpan<byte> buffer)
        {
            fixed (byte* start = buffer)
            {
                byte* p = start;
                nint left = buffer.Length;
                while (left > 0 && !_closed)
                {
                    nint n = WriteRaw(Fd, p, (nuint)left);
                    if (n >= 0)
                    {
                        p += n;
                        left -= n;
                        continue;
                    }
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                        continue;
                    if (errno == EPIPE)
                    {
                        _closed = true;
                        return;
                    }
                    if (errno == EAGAIN)
                    {
                        var pfd = new PollFd { Fd = Fd, Events = POLLOUT };
                        _ = Poll(ref pfd, 1, -1);
                        continue;
                    }
                    throw new IOException($"write to standard output: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
        private static unsafe partial nint WriteRaw(int fd, byte* buffer, nuint count);

        [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
        private static partial int Poll(ref PollFd fds, nuint count, int timeout);
    }
}
