namespace Gocker.Core.Formatting;

/// <summary>A port of the parts of Go's text/template/parse lexer that Docker formats use:
/// text, <c>{{ }}</c> actions with <c>{{- -}}</c> trim markers, comments, fields, variables,
/// identifiers, keywords, strings, numbers, parentheses, pipes and declarations.</summary>
internal sealed partial class TemplateLexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";

    private static readonly Dictionary<string, TokenType> Keywords = new()
    {
        ["block"] = TokenType.Block, ["break"] = TokenType.Break, ["continue"] = TokenType.Continue,
        ["define"] = TokenType.Define, ["else"] = TokenType.Else, ["end"] = TokenType.End,
        ["if"] = TokenType.If, ["range"] = TokenType.Range, ["template"] = TokenType.Template,
        ["with"] = TokenType.With, ["true"] = TokenType.Bool, ["false"] = TokenType.Bool,
        ["nil"] = TokenType.Nil,
    };

    private readonly string _s;
    private readonly List<TemplateToken> _tokens = [];
    private int _pos;
    private int _line = 1;
    private int _parenDepth;

    private TemplateLexer(string text) => _s = text;

    /// <summary>All tokens; the list ends with an Eof or an Error token.</summary>
    public static List<TemplateToken> Lex(string text)
    {
        var lexer = new TemplateLexer(text);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (true)
        {
            if (!LexText()) return;
            if (!LexAction()) return;
        }
    }

    private void Emit(TokenType type, int start, string? value = null)
    {
        var v = value ?? _s[start.._pos];
        _tokens.Add(new TemplateToken(type, v, start, _line));
        _line += Count(v, '\n');
    }

    private void Error(string message) => _tokens.Add(new TemplateToken(TokenType.Error, message, _pos, _line));

    private static int Count(string s, char c)
    {
        var n = 0;
        foreach (var ch in s) if (ch == c) n++;
        return n;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlnum(char c) => c == '_' || char.IsLetterOrDigit(c);

    /// <summary>Text up to the next "{{"; false at the end of the input (Eof emitted).</summary>
    private bool LexText()
    {
        var next = _s.IndexOf(LeftDelim, _pos, StringComparison.Ordinal);
        if (next < 0)
        {
            if (_pos < _s.Length) Emit(TokenType.Text, _pos, _s[_pos..]);
            _pos = _s.Length;
            _tokens.Add(new TemplateToken(TokenType.Eof, "", _pos, _line));
            return false;
        }
        var textEnd = next;
        if (HasLeftTrimMarker(next))
            while (textEnd > _pos && IsSpace(_s[textEnd - 1])) textEnd--;
        if (textEnd > _pos)
        {
            var start = _pos;
            _tokens.Add(new TemplateToken(TokenType.Text, _s[start..textEnd], start, _line));
            _line += Count(_s[start..textEnd], '\n');
        }
        _line += Count(_s[textEnd..next], '\n');
        _pos = next;
        return true;
    }

    private bool HasLeftTrimMarker(int delimPos) =>
        delimPos + 3 < _s.Length && _s[delimPos + 2] == '-' && IsSpace(_s[delimPos + 3]);

    private bool StartsWithAt(int at, string prefix) =>
        at >= 0 && at + prefix.Length <= _s.Length && string.CompareOrdinal(_s, at, prefix, 0, prefix.Length) == 0;

    /// <summary>At " -}}" (right trim marker) or "}}": the length of the delimiter, else 0.</summary>
    private int AtRightDelim(out bool trim)
    {
        trim = _pos < _s.Length && IsSpace(_s[_pos]) && StartsWithAt(_pos + 1, "-" + RightDelim);
        if (trim) return 4;
        return StartsWithAt(_pos, RightDelim) ? 2 : 0;
    }

    /// <summary>From "{{" through the matching "}}"; false on error (Error emitted).</summary>
    private bool LexAction()
    {
        var start = _pos;
        var trimLeft = HasLeftTrimMarker(_pos);
        _pos += trimLeft ? 4 : 2;

        // Comments: {{/* ... */}}
        if (StartsWithAt(_pos, "/*"))
            return LexComment();

        Emit(TokenType.LeftDelim, start, LeftDelim);
        _parenDepth = 0;
        while (true)
        {
            var delim = AtRightDelim(out var trimRight);
            if (delim > 0 && _parenDepth == 0)
            {
                var at = _pos;
                _pos += delim;
                _tokens.Add(new TemplateToken(TokenType.RightDelim, RightDelim, at, _line));
                if (trimRight) SkipSpace();
                return true;
            }
            if (delim > 0)
            {
                Error("unclosed left paren");
                return false;
            }
            if (_pos >= _s.Length)
            {
                Error("unclosed action");
                return false;
            }
            if (!LexInsideAction()) return false;
        }
    }

    private void SkipSpace()
    {
        while (_pos < _s.Length && IsSpace(_s[_pos]))
        {
            if (_s[_pos] == '\n') _line++;
            _pos++;
        }
    }

    private bool LexComment()
    {
        var end = _s.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            Error("unclosed comment");
            return false;
        }
        _line += Count(_s[_pos..end], '\n');
        _pos = end + 2;
        var delim = AtRightDelim(out var trimRight);
        if (delim == 0)
        {
            Error("comment ends before closing delimiter");
            return false;
        }
        _pos += delim;
        if (trimRight) SkipSpace();
        return true;
    }
}
