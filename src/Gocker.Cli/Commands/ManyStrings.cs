using System.CommandLine.Parsing;

namespace Gocker.Cli.Commands;

/// <summary>The parser and the empty default of every option and argument that takes many strings
/// (-e, -v, COMMAND...).</summary>
/// <remarks>System.CommandLine's own conversion, and its default for an option not given, make the
/// array with Array.CreateInstance, which NativeAOT serves through its reflection type information:
/// about 0.2 ms the first time, on the path of every `run`. The tokens are the values as given, so
/// the array is made here directly.</remarks>
internal static class ManyStrings
{
    public static string[] None(ArgumentResult _) => [];

    public static string[] Parse(ArgumentResult result)
    {
        var values = new string[result.Tokens.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = result.Tokens[i].Value;
        return values;
    }
}
