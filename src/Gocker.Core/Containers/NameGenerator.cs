namespace Gocker.Core.Containers;

/// <summary>Docker-style default names (adjective_surname), derived from the id so that they are
/// stable and, with the id suffix, unique in practice; the store still checks uniqueness.</summary>
public static class NameGenerator
{
    private static readonly string[] Left =
    [
        "admiring", "bold", "brave", "busy", "clever", "cool", "eager", "elastic", "festive", "focused", "gallant",
        "happy", "hungry", "jolly", "keen", "kind", "lucid", "modest", "nifty", "quirky", "relaxed", "serene",
        "sharp", "stoic", "tender", "vibrant", "wizardly", "zealous",
    ];

    private static readonly string[] Right =
    [
        "albattani", "babbage", "bohr", "curie", "darwin", "einstein", "euler", "fermat", "feynman", "galileo",
        "hopper", "hypatia", "kepler", "knuth", "lamport", "lovelace", "meitner", "newton", "noether", "pascal",
        "ritchie", "shannon", "thompson", "torvalds", "turing", "wozniak",
    ];

    /// <summary>Candidate <paramref name="attempt"/> for a container: later attempts take more of the id,
    /// so that a collision (likely among thousands of containers) is resolved by the next one.</summary>
    public static string Next(string id, int attempt = 0)
    {
        var h = Convert.FromHexString(id[..8]);
        int suffix = Math.Min(4 + 4 * attempt, id.Length - 8);
        return $"{Left[h[0] % Left.Length]}_{Right[h[1] % Right.Length]}_{id.Substring(8, suffix)}";
    }
}
