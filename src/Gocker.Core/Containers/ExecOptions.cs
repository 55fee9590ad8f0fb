namespace Gocker.Core.Containers;

public sealed record ExecOptions
{
    public required string Container { get; init; }
    public required IReadOnlyList<string> Command { get; init; }
    public bool Interactive { get; init; }
    public bool Tty { get; init; }
    public bool Detach { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
    public IReadOnlyList<string> EnvFiles { get; init; } = [];
    public string? WorkingDir { get; init; }
    public string? User { get; init; }
    /// <summary>Every capability gocker holds; seccomp and no_new_privs stay the container's, as in Docker.</summary>
    public bool Privileged { get; init; }
}
