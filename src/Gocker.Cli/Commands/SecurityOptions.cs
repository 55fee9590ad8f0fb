using System.CommandLine;
using Gocker.Core.Security;

namespace Gocker.Cli.Commands;

/// <summary>Docker's security flags (run, create), passed on as given: the core validates them before
/// anything is created.</summary>
internal sealed class SecurityOptions
{
    private readonly Option<bool> _privileged = new("--privileged") { Description = "Give extended privileges to this container (all capabilities, host devices, no seccomp, no masked paths)" };
    private readonly Option<string[]> _capAdd = new("--cap-add") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Add Linux capabilities (NET_ADMIN, CAP_SYS_TIME, ALL)", HelpName = "CAP" };
    private readonly Option<string[]> _capDrop = new("--cap-drop") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Drop Linux capabilities (CHOWN, ALL)", HelpName = "CAP" };
    private readonly Option<string[]> _securityOpt = new("--security-opt") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Security options: no-new-privileges[=true|false], seccomp=unconfined|PROFILE.json, systempaths=unconfined", HelpName = "OPT" };
    private readonly Option<string[]> _ulimit = new("--ulimit") { CustomParser = ManyStrings.Parse, DefaultValueFactory = ManyStrings.None, Description = "Ulimit options (nofile=SOFT[:HARD], -1 for unlimited)", HelpName = "NAME=LIMIT" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _privileged, _capAdd, _capDrop, _securityOpt, _ulimit })
            command.Options.Add(o);
    }

    public SecurityFlags Build(ParseResult r) => new()
    {
        Privileged = r.GetValue(_privileged),
        CapAdd = r.GetValue(_capAdd) ?? [],
        CapDrop = r.GetValue(_capDrop) ?? [],
        SecurityOpt = r.GetValue(_securityOpt) ?? [],
        Ulimits = r.GetValue(_ulimit) ?? [],
    };
}
