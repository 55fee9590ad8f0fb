namespace Gocker.Core.Formatting;

/// <summary>A <c>--format</c> value after docker/cli's pre-processing (<c>Context.preFormat</c>).</summary>
/// <param name="Text">The template text to parse.</param>
/// <param name="IsTable">The format began with "table": print a header row and align columns.</param>
public sealed record PreparedFormat(string Text, bool IsTable);
