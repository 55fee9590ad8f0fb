namespace Gocker.Core.Formatting;

/// <summary>A template parse or execution error, with Go's message; <see cref="GoTemplate"/>
/// turns it into a <see cref="GockerException"/>.</summary>
internal sealed class TemplateError(string message) : Exception(message);
