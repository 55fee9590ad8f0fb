using System.Diagnostics;
using Gocker.Core.Formatting;
using Gocker.Core.Images;
using Gocker.Core.Process;

namespace Gocker.Cli;

/// <summary>"Loading layers: 120MB / 300MB" on one line of stderr, redrawn at most ten times a
/// second; only when stderr is a terminal (<see cref="ForStderr"/> gives null otherwise, and nothing
/// extra is written).</summary>
internal sealed class TerminalProgress : ITransferProgress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _label = "";
    private long? _total;
    private long _lastDraw = -1000;
    private bool _drawn;

    public static ITransferProgress? ForStderr() => Terminal.IsTerminal(2) ? new TerminalProgress() : null;

    public void Start(string label, long? total)
    {
        (_label, _total, _lastDraw) = (label, total, -1000);
        Draw(0);
    }

    public void Report(long done)
    {
        if (_clock.ElapsedMilliseconds - _lastDraw >= 100)
            Draw(done);
    }

    private void Draw(long done)
    {
        _lastDraw = _clock.ElapsedMilliseconds;
        var total = _total is { } t ? $" / {PsFields.HumanSize(t)}" : "";
        Console.Error.Write($"\r\x1b[K{_label}: {PsFields.HumanSize(done)}{total}");
        _drawn = true;
    }

    public void Finish()
    {
        if (_drawn)
            Console.Error.Write("\r\x1b[K");
        _drawn = false;
    }
}
