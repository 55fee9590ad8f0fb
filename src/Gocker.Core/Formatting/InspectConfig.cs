namespace Gocker.Core.Formatting;

/// <summary>The "Config" object of `docker inspect`.</summary>
public sealed class InspectConfig
{
    public string Hostname { get; set; } = "";
    public string Domainname { get; set; } = "";
    public string User { get; set; } = "";
    public bool AttachStdin { get; set; }
    public bool AttachStdout { get; set; }
    public bool AttachStderr { get; set; }
    public bool Tty { get; set; }
    public bool OpenStdin { get; set; }
    public bool StdinOnce { get; set; }

    /// <summary>"80/tcp" → {} (from the image and, later, --expose); null when none, as Docker omits it.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, Dictionary<string, string>>? ExposedPorts { get; set; }
    public List<string> Env { get; set; } = [];
    public List<string>? Cmd { get; set; } = [];
    public string Image { get; set; } = "";

    /// <summary>Anonymous volumes of -v PATH: path → {} (null, as Docker, when none).</summary>
    public Dictionary<string, EmptyObject>? Volumes { get; set; }

    public string WorkingDir { get; set; } = "";

    /// <summary>null (as Docker) when the image and the run set none.</summary>
    public List<string>? Entrypoint { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; set; }
}

/// <summary>Go's struct{}: serialized as {}.</summary>
public sealed class EmptyObject;
