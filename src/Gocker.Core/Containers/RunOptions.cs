namespace Gocker.Core.Containers;

/// <summary>Everything `gocker run` was asked for, as parsed by the CLI.</summary>
public sealed record RunOptions
{
    public required string Image { get; init; }
    public IReadOnlyList<string> Command { get; init; } = [];
    public string? Name { get; init; }
    public string? Hostname { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
    public IReadOnlyList<string> EnvFiles { get; init; } = [];
    public string? WorkingDir { get; init; }
    public string? User { get; init; }
    public bool Interactive { get; init; }
    public bool Tty { get; init; }
    public bool Init { get; init; }
    public bool Remove { get; init; }
    public bool Detach { get; init; }
    public IReadOnlyList<string> LogOptions { get; init; } = [];
}
