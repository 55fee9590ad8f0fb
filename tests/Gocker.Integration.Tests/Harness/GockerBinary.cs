namespace Gocker.Integration.Tests.Harness;

/// <summary>Where the gocker executable under test is: $GOCKER_BIN, else out/gocker in the first
/// directory above the test assembly that has one.</summary>
public static class GockerBinary
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    public static string Directory => System.IO.Path.GetDirectoryName(Path)!;

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("GOCKER_BIN");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            var full = System.IO.Path.GetFullPath(fromEnv);
            if (!File.Exists(full))
                throw new InvalidOperationException($"GOCKER_BIN={fromEnv} does not exist: run ./build.sh first");
            return full;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "out", "gocker");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException(
            $"gocker binary not found: set GOCKER_BIN or run ./build.sh (no out/gocker above {AppContext.BaseDirectory})");
    }
}
