using System.Text;
using Gocker.Core.Formatting;

namespace Gocker.Core.Tests.Formatting;

/// <summary>PsTableWriter must write exactly what the template path (PsTable.Render) does.</summary>
public class PsTableWriterTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static string Id(int seed)
    {
        var bytes = new byte[32];
        new Random(seed).NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private static ContainerView View(int seed, string name, string image = "busybox", string command = "true",
        ContainerState state = ContainerState.Created, int exitCode = 0, TimeSpan? age = null,
        DateTimeOffset? started = null, DateTimeOffset? finished = null, string ports = "") =>
        new(Id(seed), name, image, command, state, exitCode, false, Now - (age ?? TimeSpan.FromMinutes(5)), started, finished, ports);

    /// <summary>Every kind of cell: wide and zero-width characters, cut commands, image rewriting, each
    /// state and status, leading slashes in names, empty cells.</summary>
    public static readonly ContainerView[] Mixed =
    [
        View(1, "web", "nginx:latest", "nginx -g 'daemon off;'", ContainerState.Running, started: Now.AddSeconds(-110), ports: "0.0.0.0:8080->80/tcp"),
        View(2, "job", "alpine", "sh -c 'exit 3'", ContainerState.Exited, 3, TimeSpan.FromHours(1), Now.AddHours(-1), Now.AddMinutes(-2)),
        View(3, "名前_コンテナ", "docker.io/library/busybox:1.36", "echo 日本語のコマンドはとても長いです", age: TimeSpan.FromDays(3)),
        View(4, "/slashed", "docker.io/someone/app@sha256:abcdef", "sh -c 'echo \"quoted\" \\\\ back'", ContainerState.Paused, started: Now.AddHours(-5)),
        View(5, "e\u0301combining", "sha256:0123456789abcdef0123456789abcdef", "printf '\\x01'", ContainerState.Restarting, 1, finished: Now.AddSeconds(-7)),
        View(6, "emoji_🐳", "registry.example.com:5000/équipe/образ:ünï", "sleep 🐳🐳🐳🐳🐳🐳🐳🐳🐳🐳🐳🐳", ContainerState.Dead, 137),
        View(7, "removing", "", "", ContainerState.Removing),
        View(8, "exited_never_started", "busybox", "true", ContainerState.Exited, 0),
        View(9, "exited_no_finish", "busybox", "true", ContainerState.Exited, 0, started: Now.AddMinutes(-1)),
        View(10, "negative_exit", "busybox", "false", ContainerState.Exited, -1, started: Now.AddDays(-400), finished: Now.AddDays(-399)),
        View(11, "", "busybox", "a\tb\nc", age: TimeSpan.FromSeconds(-5)),
        View(12, "future", "busybox", "exactly twenty chars", age: TimeSpan.FromDays(800)),
        View(13, "tab", "busybox", "twenty one characters", started: Now, finished: Now),
    ];

    public static IEnumerable<object[]> Options() =>
    [
        [new PsOptions()],
        [new PsOptions { NoTrunc = true }],
        [new PsOptions { Quiet = true }],
        [new PsOptions { Quiet = true, NoTrunc = true }],
        [new PsOptions { Format = "table" }],
        [new PsOptions { Format = "" }],
        [new PsOptions { Quiet = true, Format = "{{.Names}}" }],
    ];

    private static PsRowBuffer Buffer(IEnumerable<ContainerView> views, PsOptions options)
    {
        var rows = new PsRowBuffer(0, PsTableWriter.IdBytesFor(options));
        foreach (var v in views)
            rows.Add(v);
        return rows;
    }

    private static string? Direct(PsRowBuffer rows, PsOptions options)
    {
        using var output = new MemoryStream();
        if (!PsTableWriter.TryWrite(output, rows, Now, options))
        {
            Assert.Equal(0, output.Length);
            return null;
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static string Template(IEnumerable<ContainerView> views, PsOptions options)
    {
        // What PsCommand's general path writes: PsTable through a UTF-8 StreamWriter.
        using var output = new MemoryStream();
        using (var writer = new StreamWriter(output, leaveOpen: true))
            PsTable.Write(writer, views, Now, options);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void MatchesTheTemplatePath(PsOptions options)
    {
        Assert.Equal(Template(Mixed, options), Direct(Buffer(Mixed, options), options));
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void EmptyListMatches(PsOptions options)
    {
        Assert.Equal(Template([], options), Direct(Buffer([], options), options));
    }

    [Fact]
    public void EmptyTableIsTheHeader() =>
        Assert.Equal("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n", Direct(Buffer([], new PsOptions()), new PsOptions()));

    [Fact]
    public void ManyRowsOfFewShapesMatch()
    {
        var random = new Random(42);
        string[] images = ["busybox", "alpine:3.19", "docker.io/library/nginx:latest", "ghcr.io/x/y@sha256:00"];
        string[] commands = ["true", "sh -c 'sleep 1000'", "python3 -m http.server 8000 --bind 0.0.0.0"];
        var views = new List<ContainerView>();
        for (int i = 0; i < 3000; i++)
        {
            var state = (ContainerState)random.Next(7);
            var age = TimeSpan.FromSeconds(random.Next(0, 200_000));
            DateTimeOffset? started = random.Next(3) == 0 ? null : Now - age + TimeSpan.FromSeconds(random.Next(0, 10));
            DateTimeOffset? finished = random.Next(3) == 0 ? null : Now - TimeSpan.FromMilliseconds(random.Next(0, 5_000_000));
            string name = random.Next(10) == 0 ? $"näme_{i}" : $"name_{i}";
            views.Add(View(100 + i, name, images[random.Next(images.Length)], commands[random.Next(commands.Length)],
                state, random.Next(-2, 256), age, started, finished, random.Next(5) == 0 ? "0.0.0.0:80->80/tcp" : ""));
        }
        foreach (var options in new[] { new PsOptions(), new PsOptions { NoTrunc = true }, new PsOptions { Quiet = true } })
            Assert.Equal(Template(views, options), Direct(Buffer(views, options), options));
    }

    [Theory]
    [InlineData("na\tme", "busybox", "")]
    [InlineData("name", "busy\nbox", "")]
    [InlineData("name", "busybox", "80/tcp\v")]
    [InlineData("na\fme", "busybox", "")]
    public void SeparatorsInCellsAreLeftToTheTemplatePath(string name, string image, string ports)
    {
        var rows = Buffer([View(1, "ok"), View(2, name, image, ports: ports)], new PsOptions());
        Assert.Null(Direct(rows, new PsOptions()));
        // -q shows ids only: still direct.
        Assert.NotNull(Direct(Buffer([View(2, name, image, ports: ports)], new PsOptions { Quiet = true }), new PsOptions { Quiet = true }));
    }

    [Theory]
    [InlineData("{{.ID}}", false, false)]
    [InlineData("table {{.ID}}", false, false)]
    [InlineData("json", false, false)]
    [InlineData("raw", false, false)]
    [InlineData("raw", true, false)]
    [InlineData(null, false, true)]
    public void OtherFormatsAreNotSupported(string? format, bool quiet, bool size)
    {
        var options = new PsOptions { Format = format, Quiet = quiet, Size = size };
        Assert.False(PsTableWriter.Supports(options));
        Assert.Null(Direct(Buffer(Mixed, options), options));
    }

    [Fact]
    public void NoTruncNeedsWholeIds()
    {
        var rows = Buffer(Mixed, new PsOptions());
        Assert.Throws<ArgumentException>(() => Direct(rows, new PsOptions { NoTrunc = true }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(3000)]
    public void SortsNewestFirstLikeAStableOrderByDescending(int seed)
    {
        var random = new Random(seed);
        int n = 2000;
        var created = new long[n];
        for (int i = 0; i < n; i++)
        {
            created[i] = seed switch
            {
                0 => i * 10_000L,                               // oldest first: the usual store
                1 => (n - i) * 10_000L,                         // newest first
                50 => i * 10_000L + random.Next(-50, 50) * 10_000L, // nearly sorted (parallel creates)
                _ => random.Next(0, 300) * 10_000_000L,         // random, many ties
            };
        }
        var rows = new PsRowBuffer(n);
        for (int i = 0; i < n; i++)
            rows.Add(BitConverter.GetBytes(i), "n"u8, ""u8, ""u8, ""u8, ContainerState.Created, 0, created[i], null, null);
        rows.SortNewestFirst();
        var expected = Enumerable.Range(0, n).OrderByDescending(i => created[i]).ToArray();
        var actual = Enumerable.Range(0, n).Select(p => BitConverter.ToInt32(rows.Id(p))).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void LimitKeepsTheFirstRows()
    {
        var views = Mixed.OrderByDescending(v => v.Created).ToList();
        var rows = Buffer(Mixed, new PsOptions());
        rows.SortNewestFirst();
        rows.Limit(3);
        Assert.Equal(3, rows.Count);
        Assert.Equal(Template(views.Take(3), new PsOptions()), Direct(rows, new PsOptions()));
        rows.Limit(-1);
        Assert.Equal(Template([], new PsOptions()), Direct(rows, new PsOptions()));
        rows.Limit(1000);
        Assert.Equal(Template(views, new PsOptions()), Direct(rows, new PsOptions()));
    }

    [Fact]
    public void LargeOutputGoesOutInChunks()
    {
        var views = Enumerable.Range(0, 5000).Select(i => View(i, "container_name_" + i, age: TimeSpan.FromSeconds(i))).ToList();
        var options = new PsOptions { NoTrunc = true };
        var expected = Template(views, options);
        Assert.True(expected.Length > 4 * 64 * 1024);
        Assert.Equal(expected, Direct(Buffer(views, options), options));
    }
}

/// <summary>The UTF-8 formatting of durations and statuses against the string implementations they replaced.</summary>
public class StatusTextReferenceTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>go-units HumanDuration as it was written before the UTF-8 version.</summary>
    private static string ReferenceDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";
        var minutes = (long)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        var hours = (long)(d.TotalHours + 0.5);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{(long)d.TotalHours / 24 / 365} years";
    }

    private static string ReferenceStatus(ContainerView v, DateTimeOffset now)
    {
        string Since(DateTimeOffset? t) => ReferenceDuration(t is null ? TimeSpan.Zero : now - t.Value);
        switch (v.State)
        {
            case ContainerState.Running: return "Up " + Since(v.Started);
            case ContainerState.Paused: return "Up " + Since(v.Started) + " (Paused)";
            case ContainerState.Restarting: return $"Restarting ({v.ExitCode}) {Since(v.Finished)} ago";
            case ContainerState.Removing: return "Removal In Progress";
            case ContainerState.Dead: return "Dead";
            case ContainerState.Created: return "Created";
            default:
                if (v.Started is null || v.Started.Value == default) return "Created";
                if (v.Finished is null || v.Finished.Value == default) return "";
                return $"Exited ({v.ExitCode}) {Since(v.Finished)} ago";
        }
    }

    [Fact]
    public void DurationsMatchTheReference()
    {
        var random = new Random(7);
        var ticks = new List<long> { 0, -1, 1, long.MaxValue / 2, TimeSpan.TicksPerSecond - 1, TimeSpan.TicksPerSecond };
        long[] units = [TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute, TimeSpan.TicksPerHour, TimeSpan.TicksPerDay];
        foreach (long unit in units)
            for (int k = 0; k < 800; k++)
                foreach (long delta in new long[] { -1, 0, 1, unit / 2 - 1, unit / 2, unit / 2 + 1 })
                    ticks.Add(k * unit + delta);
        for (int k = 0; k < 20_000; k++)
            ticks.Add(random.NextInt64(0, TimeSpan.TicksPerDay * 365 * 50));
        foreach (long t in ticks)
            Assert.Equal(ReferenceDuration(TimeSpan.FromTicks(t)), HumanDuration.Format(TimeSpan.FromTicks(t)));
    }

    [Fact]
    public void StatusesMatchTheReference()
    {
        DateTimeOffset?[] times = [null, default(DateTimeOffset), Now, Now.AddSeconds(-1), Now.AddMinutes(-61), Now.AddDays(-20), Now.AddSeconds(30)];
        foreach (var state in Enum.GetValues<ContainerState>())
            foreach (int exit in new[] { 0, 1, -1, 137, int.MinValue, int.MaxValue })
                foreach (var started in times)
                    foreach (var finished in times)
                    {
                        var v = new ContainerView("00", "n", "i", "c", state, exit, false, Now, started, finished, "");
                        Assert.Equal(ReferenceStatus(v, Now), ContainerStatus.StatusText(v, Now));
                    }
    }
}
