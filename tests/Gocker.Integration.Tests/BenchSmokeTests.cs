using System.Text.Json;
using System.Xml.Linq;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>Alone: the leftover checks look at the whole machine (cgroups, mounts, processes), and the
/// timings would suffer from the other tests anyway.</summary>
[CollectionDefinition(nameof(BenchSmokeCollection), DisableParallelization = true)]
public sealed class BenchSmokeCollection;

/// <summary>bench/run in its tiny mode, so that the harness cannot rot: it must run every benchmark
/// against the built binary, write the raw results and the report with its charts where it is told
/// (never over the committed BENCHMARKS.md), and leave nothing behind. The figures are never asserted.</summary>
[Collection(nameof(BenchSmokeCollection))]
public sealed class BenchSmokeTests : IDisposable
{
    private static readonly string[] ResultsHeader = ["series", "contender", "x", "run", "value", "unit"];

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("gocker-bench-smoke.");

    public void Dispose()
    {
        try { _dir.Delete(recursive: true); } catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public async Task Tiny_run_writes_the_results_the_report_and_its_charts_and_leaves_nothing_behind()
    {
        var repo = RepoRoot();
        var committedReport = Path.Combine(repo, "BENCHMARKS.md");
        var committedBefore = File.Exists(committedReport) ? File.ReadAllText(committedReport) : null;
        var results = Path.Combine(_dir.FullName, "results");
        var report = Path.Combine(_dir.FullName, "report", "BENCHMARKS.md");
        var scratch = Directory.CreateDirectory(Path.Combine(_dir.FullName, "tmp")).FullName;
        var cgroupsBefore = BenchCgroups();

        var r = await ProcessRunner.RunAsync(new ProcessSpec
        {
            FileName = Path.Combine(repo, "bench", "run"),
            Args = ["--tiny", "--results", results, "--report", report],
            Env = { ["GOCKER"] = GockerBinary.Path, ["TMPDIR"] = scratch, ["IMAGE_TAR"] = null },
            Timeout = TimeSpan.FromSeconds(120),
        });
        Assert.True(r.ExitCode == 0, $"bench/run --tiny failed\n{r}");

        // Every benchmark ran (none failed; ours never skip: runc and crun are installed by .ci/run).
        var status = File.ReadAllLines(Path.Combine(results, "status.csv")).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[1]);
        var scripts = Directory.GetFiles(Path.Combine(repo, "bench"), "*.sh").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(scripts.Order(), status.Keys.Order());
        foreach (var name in new[] { "start-latency", "network", "image-size", "confinement", "ps-scale", "exec-latency", "monitor-memory", "throughput", "binary" })
            Assert.True(status.GetValueOrDefault(name) == "ok", $"{name}: {status.GetValueOrDefault(name)}\n{r}");
        Assert.DoesNotContain("failed", status.Values);

        AssertMachine(Path.Combine(results, "machine.json"));
        foreach (var (name, _) in status.Where(s => s.Value == "ok"))
            AssertResults(results, name);
        AssertReport(report, status.Keys);

        Assert.Equal(committedBefore, File.Exists(committedReport) ? File.ReadAllText(committedReport) : null);
        Assert.Empty(Directory.GetFileSystemEntries(scratch));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(scratch) || l.Contains("gocker-bench"));
        Assert.Equal(cgroupsBefore, BenchCgroups());
        Assert.Empty(ProcessesMentioning(scratch));
    }

    private static void AssertMachine(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var m = doc.RootElement;
        foreach (var key in new[] { "date", "cpu_model", "cores", "memory_kib", "kernel", "os", "gocker", "crun", "runc", "podman" })
            Assert.True(m.TryGetProperty(key, out _), $"machine.json has no {key}");
        Assert.Contains(m.GetProperty("cgroup_mode").GetString(), new[] { "v1", "hybrid", "v2" });
        Assert.Equal("tiny", m.GetProperty("mode").GetString());
        Assert.True(int.Parse(m.GetProperty("cores").GetString()!) > 0);
        Assert.NotEqual("", m.GetProperty("gocker").GetString());
    }

    private static void AssertResults(string results, string name)
    {
        var lines = File.ReadAllLines(Path.Combine(results, name + ".csv"));
        Assert.Equal(string.Join(',', ResultsHeader), lines[0]);
        Assert.True(lines.Length > 1, $"{name}.csv holds no sample");
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            Assert.True(f.Length == ResultsHeader.Length, $"{name}.csv: '{line}'");
            Assert.True(double.TryParse(f[4], System.Globalization.CultureInfo.InvariantCulture, out _), $"{name}.csv: '{line}'");
        }
        Assert.StartsWith("series,chart,better,xlabel,title", File.ReadAllText(Path.Combine(results, name + ".series.csv")));
        Assert.StartsWith("# ", File.ReadAllText(Path.Combine(results, name + ".md")));
        Assert.True(new FileInfo(Path.Combine(results, name + ".log")).Length > 0, $"{name}.log is empty");
    }

    /// <summary>A section per benchmark, the machine line, and charts that exist and are well-formed SVG.</summary>
    private static void AssertReport(string report, IEnumerable<string> benchmarks)
    {
        var text = File.ReadAllText(report);
        Assert.StartsWith("# Gocker benchmarks", text);
        Assert.Contains("cgroup ", text);
        Assert.Equal(benchmarks.Count(), text.Split('\n').Count(l => l.StartsWith("## ")));
        var charts = System.Text.RegularExpressions.Regex.Matches(text, @"!\[[^\]]*\]\((bench/charts/[^)]+\.svg)\)");
        Assert.True(charts.Count >= 6, $"only {charts.Count} charts in the report");
        foreach (System.Text.RegularExpressions.Match c in charts)
        {
            var svg = Path.Combine(Path.GetDirectoryName(report)!, c.Groups[1].Value);
            Assert.True(File.Exists(svg), $"{c.Groups[1].Value} is linked but missing");
            Assert.Equal("svg", XDocument.Load(svg).Root!.Name.LocalName);
        }
    }

    /// <summary>The peers' containers are named gocker-bench-*, and their cgroups take those names. (gocker's
    /// own cgroups are removed with its containers, which the empty scratch directory and the absence of
    /// monitors show; other tests on the machine come and go under gocker/ meanwhile.)</summary>
    private static List<string> BenchCgroups()
    {
        var top = Directory.EnumerateDirectories("/sys/fs/cgroup").ToList();
        return top.Concat(top.SelectMany(d => Directory.EnumerateDirectories(d, "gocker-bench*")))
            .Where(d => Path.GetFileName(d).StartsWith("gocker-bench"))
            .Order().ToList();
    }

    private static List<string> ProcessesMentioning(string path)
    {
        var found = new List<string>();
        foreach (var p in Directory.EnumerateDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(p, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(path))
                    found.Add($"{Path.GetFileName(p)}: {cmdline}");
            }
            catch (IOException) { } // gone meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "bench", "run")))
                return d.FullName;
        throw new InvalidOperationException($"no bench/run above {AppContext.BaseDirectory}");
    }
}
