namespace Gocker.Core.Formatting;

/// <summary>Options of `docker ps` that affect its output.</summary>
public sealed record PsOptions
{
    /// <summary><c>--format</c>: null or "table" for the default table, "raw", "json", or a template.</summary>
    public string? Format { get; init; }

    /// <summary><c>--no-trunc</c>: full ids and commands.</summary>
    public bool NoTrunc { get; init; }

    /// <summary><c>-q</c>: ids only (overrides a custom format, as Docker does).</summary>
    public bool Quiet { get; init; }

    /// <summary><c>-s</c>: add the SIZE column to the default table.</summary>
    public bool Size { get; init; }

    /// <summary>Zone for <c>{{.CreatedAt}}</c>; the local zone when null.</summary>
    public TimeZoneInfo? TimeZone { get; init; }
}
