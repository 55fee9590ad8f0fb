namespace Gocker.Core.Formatting;

/// <summary>What the formatters need to know about one container; the state store's records are
/// mapped to it, so this folder compiles on its own.</summary>
/// <param name="Command">The command line as `docker ps` shows it, unquoted; build it with
/// <see cref="PsFields.CommandLine"/> (e.g. <c>sh -c 'echo hi'</c>).</param>
/// <param name="Ports">Already formatted, e.g. <c>0.0.0.0:8080-&gt;80/tcp</c>; "" for none.</param>
public sealed record ContainerView(
    string Id,
    string Name,
    string Image,
    string Command,
    ContainerState State,
    int ExitCode,
    bool OomKilled,
    DateTimeOffset Created,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    string Ports)
{
    /// <summary>Labels, shown sorted as <c>k=v,k2=v2</c> by <c>{{.Labels}}</c>.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Mount names or sources, for <c>{{.Mounts}}</c>.</summary>
    public IReadOnlyList<string>? Mounts { get; init; }

    /// <summary>Networks the container is attached to, for <c>{{.Networks}}</c>.</summary>
    public IReadOnlyList<string>? Networks { get; init; }

    /// <summary>Writable-layer size in bytes, for <c>{{.Size}}</c> (null: unknown, shown as 0B).</summary>
    public long? SizeRw { get; init; }
}
