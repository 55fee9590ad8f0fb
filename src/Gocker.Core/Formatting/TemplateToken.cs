namespace Gocker.Core.Formatting;

internal enum TokenType
{
    Error,
    Eof,
    Text,
    LeftDelim,
    RightDelim,
    Space,
    Field,       // .Name
    Dot,         // .
    Variable,    // $ or $name
    Identifier,  // function name
    String,      // "quoted" (Value keeps the quotes)
    RawString,   // `raw` (Value keeps the backquotes)
    Number,
    Bool,
    Nil,
    Char,        // any other printable ASCII character
    Pipe,
    LeftParen,
    RightParen,
    Declare,     // :=
    Assign,      // =
    Comma,
    // Keywords; Go prints these as <name> in errors.
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Template,
    With,
}

/// <summary>One lexeme of a Go template. <see cref="Pos"/> is the offset in the template text,
/// <see cref="Line"/> 1-based, both as Go's text/template/parse reports them.</summary>
internal readonly record struct TemplateToken(TokenType Type, string Value, int Pos, int Line)
{
    public bool IsKeyword => Type >= TokenType.Block;

    /// <summary>Go's <c>item.String()</c>, used in "unexpected X in Y" messages.</summary>
    public override string ToString()
    {
        if (Type == TokenType.Eof) return "EOF";
        if (Type == TokenType.Error) return Value;
        if (IsKeyword) return $"<{Value}>";
        if (Value.Length > 10) return GoText.Quote(Value[..10]) + "...";
        return GoText.Quote(Value);
    }
}
