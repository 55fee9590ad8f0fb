namespace Gocker.Core.Formatting;

/// <summary>A port of Go's text/template/parse parser for the node types in TemplateNodes.cs.
/// Errors are Go's texts, e.g. <c>template: :1: unexpected "}" in operand</c>.</summary>
internal sealed partial class TemplateParser
{
    private readonly List<TemplateToken> _tokens;
    private readonly Func<string, bool> _hasFunction;
    private readonly List<string> _vars = ["$"];
    private int _index;
    private int _lastLine = 1;
    private int _rangeDepth;

    private TemplateParser(List<TemplateToken> tokens, Func<string, bool> hasFunction)
    {
        _tokens = tokens;
        _hasFunction = hasFunction;
    }

    /// <exception cref="TemplateError">On a syntax error.</exception>
    public static ListNode Parse(string text, Func<string, bool> hasFunction) =>
        new TemplateParser(TemplateLexer.Lex(text), hasFunction).ParseRoot();

    private TemplateToken Next()
    {
        var t = _tokens[Math.Min(_index, _tokens.Count - 1)];
        if (_index < _tokens.Count) _index++;
        _lastLine = t.Line;
        return t;
    }

    private void Backup(int n = 1) => _index -= n;

    private TemplateToken Peek() => _tokens[Math.Min(_index, _tokens.Count - 1)];

    private TemplateToken NextNonSpace()
    {
        TemplateToken t;
        do t = Next(); while (t.Type == TokenType.Space);
        return t;
    }

    private TemplateToken PeekNonSpace()
    {
        var t = NextNonSpace();
        Backup();
        return t;
    }

    private TemplateError Error(string message) => new($"template: :{_lastLine}: {message}");

    private TemplateError Unexpected(TemplateToken token, string context) =>
        token.Type == TokenType.Error ? Error(token.Value) : Error($"unexpected {token} in {context}");

    private TemplateToken Expect(TokenType type, string context)
    {
        var t = NextNonSpace();
        if (t.Type != type) throw Unexpected(t, context);
        return t;
    }

    private ListNode ParseRoot()
    {
        var root = new ListNode(Peek().Pos, []);
        while (Peek().Type != TokenType.Eof)
        {
            var n = TextOrAction();
            if (n is EndNode or ElseNode) throw Error($"unexpected {n}");
            root.Nodes.Add(n);
        }
        return root;
    }

    private TemplateNode TextOrAction()
    {
        var token = NextNonSpace();
        return token.Type switch
        {
            TokenType.Text => new TextNode(token.Pos, token.Value),
            TokenType.LeftDelim => Action(),
            _ => throw Unexpected(token, "input"),
        };
    }

    private TemplateNode Action()
    {
        var token = NextNonSpace();
        switch (token.Type)
        {
            case TokenType.Break:
            case TokenType.Continue:
                var ctx = "{{" + token.Value + "}}";
                var t = NextNonSpace();
                if (t.Type != TokenType.RightDelim) throw Unexpected(t, ctx);
                if (_rangeDepth == 0) throw Error($"{ctx} outside {{{{range}}}}");
                return token.Type == TokenType.Break ? new BreakNode(token.Pos) : new ContinueNode(token.Pos);
            case TokenType.Else:
                var peek = PeekNonSpace();
                if (peek.Type is TokenType.If or TokenType.With) return new ElseNode(peek.Pos);
                return new ElseNode(Expect(TokenType.RightDelim, "else").Pos);
            case TokenType.End:
                return new EndNode(Expect(TokenType.RightDelim, "end").Pos);
            case TokenType.If:
                return Control(BranchKind.If);
            case TokenType.Range:
                return Control(BranchKind.Range);
            case TokenType.With:
                return Control(BranchKind.With);
            case TokenType.Block:
            case TokenType.Define:
            case TokenType.Template:
                throw Error($"{{{{{token.Value}}}}} is not supported");
        }
        Backup();
        var start = Peek();
        return new ActionNode(start.Pos, Pipeline("command", TokenType.RightDelim));
    }

    private BranchNode Control(BranchKind kind)
    {
        var context = kind.ToString().ToLowerInvariant();
        var varCount = _vars.Count;
        try
        {
            var pipe = Pipeline(context, TokenType.RightDelim);
            if (kind == BranchKind.Range) _rangeDepth++;
            var (list, next) = ItemList();
            if (kind == BranchKind.Range) _rangeDepth--;
            ListNode? elseList = null;
            if (next is ElseNode)
            {
                if (kind != BranchKind.Range && Peek().Type == (kind == BranchKind.If ? TokenType.If : TokenType.With))
                {
                    Next();
                    elseList = new ListNode(next.Pos, [Control(kind)]);
                }
                else
                {
                    (elseList, next) = ItemList();
                    if (next is not EndNode) throw Error($"expected end; found {next}");
                }
            }
            return new BranchNode(kind, pipe.Pos, pipe, list, elseList);
        }
        finally
        {
            _vars.RemoveRange(varCount, _vars.Count - varCount);
        }
    }

    private (ListNode List, TemplateNode Next) ItemList()
    {
        var list = new ListNode(PeekNonSpace().Pos, []);
        while (PeekNonSpace().Type != TokenType.Eof)
        {
            var n = TextOrAction();
            if (n is EndNode or ElseNode) return (list, n);
            list.Nodes.Add(n);
        }
        throw Error("unexpected EOF");
    }
}
