namespace Gocker.Integration.Tests.Harness;

/// <summary>A private tmux server (its own socket) with one session: a real terminal to type into
/// and read the screen of. The server is killed on dispose.</summary>
public sealed class Tmux : IAsyncDisposable
{
    private readonly string _socket;
    private readonly string _session;

    private Tmux(string socket, string session)
    {
        _socket = socket;
        _session = session;
    }

    /// <summary>Starts a detached session of the given size running <paramref name="shellCommand"/>.</summary>
    public static async Task<Tmux> StartAsync(string dir, int width, int height, string shellCommand)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var tmux = new Tmux(Path.Combine(dir, $"tmux-{id}.sock"), $"gocker-it-{id}");
        (await tmux.Exec("new-session", "-d", "-s", tmux._session, "-x", width.ToString(), "-y", height.ToString(),
            shellCommand)).ShouldSucceed();
        return tmux;
    }

    private Task<GockerResult> Exec(params string[] args) => ProcessRunner.RunAsync(new ProcessSpec
    {
        FileName = "tmux",
        Args = ["-S", _socket, .. args],
        // tmux wants to know the outer terminal type even when detached; CI has none.
        Env = new() { ["TERM"] = Environment.GetEnvironmentVariable("TERM") ?? "xterm", ["TMUX"] = null },
        Timeout = TimeSpan.FromSeconds(20),
    });

    /// <summary>Types literal text, then presses Enter.</summary>
    public async Task TypeLine(string text)
    {
        (await Exec("send-keys", "-t", _session, "-l", text)).ShouldSucceed();
        (await Exec("send-keys", "-t", _session, "Enter")).ShouldSucceed();
    }

    /// <summary>Presses one key, in tmux's notation (C-c, Enter, ...).</summary>
    public async Task SendKey(string key) => (await Exec("send-keys", "-t", _session, key)).ShouldSucceed();

    public async Task<string> Capture()
    {
        var r = await Exec("capture-pane", "-p", "-t", _session);
        return r.ExitCode == 0 ? r.Stdout : "";
    }

    /// <summary>Polls the screen (there is no event to wait for) until it satisfies the predicate.</summary>
    public async Task<string> WaitForScreen(Func<string, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        string screen = "";
        while (DateTime.UtcNow < deadline)
        {
            screen = await Capture();
            if (match(screen))
                return screen;
            await Task.Delay(50);
        }
        Assert.Fail($"timed out waiting for {what}; the screen was:\n{screen}");
        return screen;
    }

    public async ValueTask DisposeAsync()
    {
        await Exec("kill-server");
        try { File.Delete(_socket); } catch (IOException) { }
    }
}

public static class Poll
{
    /// <summary>Polls a condition with a deadline, for states that no event announces.</summary>
    public static async Task Until(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
