namespace Gocker.Core.Network.Iptables;

/// <summary>The iptables commands gocker runs (<see cref="IptablesCommand"/>; a fake in the unit tests).
/// Two calls only: a dump to read the rules, and one atomic batch to change them, so that setting up a
/// network or a published port costs two short processes, not one per rule.</summary>
public interface IIptables
{
    /// <summary>`iptables-save`: every table's rules ("*nat", ":CHAIN ...", "-A CHAIN ...", "COMMIT").</summary>
    string Save();

    /// <summary>`iptables-restore -w --noflush` with this input: each table's lines applied in one
    /// transaction (all or none).</summary>
    void Restore(string input);
}
