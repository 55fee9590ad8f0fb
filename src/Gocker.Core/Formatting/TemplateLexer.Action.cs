namespace Gocker.Core.Formatting;

/// <summary>The lexer's states inside an action (Go's lexInsideAction and friends).</summary>
internal sealed partial class TemplateLexer
{
    private bool AtTerminator()
    {
        if (_pos >= _s.Length) return true;
        var c = _s[_pos];
        if (IsSpace(c) || c is '.' or ',' or '|' or ':' or ')' or '(') return true;
        return StartsWithAt(_pos, RightDelim);
    }

    private static string DescribeRune(char c) => $"U+{(int)c:X4} '{c}'";

    /// <summary>One token inside an action; false on error (Error emitted).</summary>
    private bool LexInsideAction()
    {
        var start = _pos;
        var c = _s[_pos];
        if (IsSpace(c))
        {
            while (_pos < _s.Length && IsSpace(_s[_pos]))
            {
                // Stop before a trim-marked right delimiter (" -}}"); its space belongs to it.
                if (StartsWithAt(_pos + 1, "-" + RightDelim)) break;
                _pos++;
            }
            if (_pos > start) Emit(TokenType.Space, start);
            return true;
        }
        _pos++;
        switch (c)
        {
            case '=':
                Emit(TokenType.Assign, start);
                return true;
            case ':':
                if (_pos >= _s.Length || _s[_pos] != '=')
                {
                    Error("expected :=");
                    return false;
                }
                _pos++;
                Emit(TokenType.Declare, start);
                return true;
            case '|':
                Emit(TokenType.Pipe, start);
                return true;
            case '"':
                return LexQuote(start);
            case '`':
                return LexRawQuote(start);
            case '$':
                return LexFieldOrVariable(start, TokenType.Variable);
            case '.' when _pos >= _s.Length || !char.IsAsciiDigit(_s[_pos]):
                return LexFieldOrVariable(start, TokenType.Field);
            case '(':
                Emit(TokenType.LeftParen, start);
                _parenDepth++;
                return true;
            case ')':
                Emit(TokenType.RightParen, start);
                if (--_parenDepth < 0)
                {
                    Error("unexpected right paren");
                    return false;
                }
                return true;
        }
        if (c is '.' or '+' or '-' || char.IsAsciiDigit(c))
        {
            _pos = start;
            return LexNumber();
        }
        if (IsAlnum(c))
        {
            _pos = start;
            return LexIdentifier();
        }
        if (c >= 0x20 && c < 0x7f)
        {
            Emit(TokenType.Char, start);
            return true;
        }
        Error("unrecognized character in action: " + $"U+{(int)c:X4}");
        return false;
    }

    private bool LexFieldOrVariable(int start, TokenType type)
    {
        if (AtTerminator())
        {
            Emit(type == TokenType.Variable ? TokenType.Variable : TokenType.Dot, start);
            return true;
        }
        while (_pos < _s.Length && IsAlnum(_s[_pos])) _pos++;
        if (!AtTerminator())
        {
            Error("bad character " + DescribeRune(_s[_pos]));
            return false;
        }
        Emit(type, start);
        return true;
    }

    private bool LexIdentifier()
    {
        var start = _pos;
        while (_pos < _s.Length && IsAlnum(_s[_pos])) _pos++;
        if (!AtTerminator())
        {
            Error("bad character " + DescribeRune(_s[_pos]));
            return false;
        }
        var word = _s[start.._pos];
        Emit(Keywords.TryGetValue(word, out var kw) ? kw : TokenType.Identifier, start);
        return true;
    }

    private bool LexNumber()
    {
        var start = _pos;
        if (_pos < _s.Length && _s[_pos] is '+' or '-') _pos++;
        var digits = "0123456789_";
        if (StartsWithAt(_pos, "0x") || StartsWithAt(_pos, "0X"))
        {
            _pos += 2;
            digits = "0123456789abcdefABCDEF_";
        }
        while (_pos < _s.Length && digits.Contains(_s[_pos])) _pos++;
        if (_pos < _s.Length && _s[_pos] == '.')
        {
            _pos++;
            while (_pos < _s.Length && digits.Contains(_s[_pos])) _pos++;
        }
        if (digits.Length == 11 && _pos < _s.Length && _s[_pos] is 'e' or 'E')
        {
            _pos++;
            if (_pos < _s.Length && _s[_pos] is '+' or '-') _pos++;
            while (_pos < _s.Length && char.IsAsciiDigit(_s[_pos])) _pos++;
        }
        if (_pos < _s.Length && IsAlnum(_s[_pos]))
        {
            _pos++;
            Error("bad number syntax: " + GoText.Quote(_s[start.._pos]));
            return false;
        }
        Emit(TokenType.Number, start);
        return true;
    }

    private bool LexQuote(int start)
    {
        while (true)
        {
            if (_pos >= _s.Length || _s[_pos] == '\n')
            {
                Error("unterminated quoted string");
                return false;
            }
            var c = _s[_pos++];
            if (c == '\\')
            {
                if (_pos >= _s.Length || _s[_pos] == '\n')
                {
                    Error("unterminated quoted string");
                    return false;
                }
                _pos++;
            }
            else if (c == '"')
            {
                Emit(TokenType.String, start);
                return true;
            }
        }
    }

    private bool LexRawQuote(int start)
    {
        var end = _s.IndexOf('`', _pos);
        if (end < 0)
        {
            Error("unterminated raw quoted string");
            return false;
        }
        _pos = end + 1;
        Emit(TokenType.RawString, start);
        return true;
    }
}
