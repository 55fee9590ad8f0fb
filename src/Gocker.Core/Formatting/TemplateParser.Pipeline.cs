using System.Globalization;

namespace Gocker.Core.Formatting;

/// <summary>Pipelines, commands and operands (Go's parse.go pipeline/command/operand/term).</summary>
internal sealed partial class TemplateParser
{
    private PipeNode Pipeline(string context, TokenType end)
    {
        var pipe = new PipeNode(PeekNonSpace().Pos, false, [], []);
        var isAssign = false;
        while (PeekNonSpace() is { Type: TokenType.Variable } v)
        {
            NextNonSpace();
            var tokenAfterVariable = Peek();
            var next = PeekNonSpace();
            if (next.Type is TokenType.Assign or TokenType.Declare)
            {
                isAssign = next.Type == TokenType.Assign;
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                _vars.Add(v.Value);
                break;
            }
            if (next is { Type: TokenType.Char, Value: "," })
            {
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                _vars.Add(v.Value);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    if (PeekNonSpace().Type is TokenType.Variable or TokenType.RightDelim or TokenType.RightParen)
                        continue;
                    throw Error("range can only initialize variables");
                }
                throw Error($"too many declarations in {context}");
            }
            Backup(tokenAfterVariable.Type == TokenType.Space ? 2 : 1);
            break;
        }
        pipe = pipe with { IsAssign = isAssign };

        while (true)
        {
            var token = NextNonSpace();
            if (token.Type == end)
            {
                CheckPipeline(pipe, context);
                return pipe;
            }
            switch (token.Type)
            {
                case TokenType.Bool or TokenType.Dot or TokenType.Field or TokenType.Identifier
                    or TokenType.Number or TokenType.Nil or TokenType.RawString or TokenType.String
                    or TokenType.Variable or TokenType.LeftParen:
                    Backup();
                    pipe.Cmds.Add(Command());
                    break;
                default:
                    throw Unexpected(token, context);
            }
        }
    }

    private void CheckPipeline(PipeNode pipe, string context)
    {
        if (pipe.Cmds.Count == 0) throw Error($"missing value for {context}");
        for (var i = 1; i < pipe.Cmds.Count; i++)
        {
            if (pipe.Cmds[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
                throw Error($"non executable command in pipeline stage {i + 1}");
        }
    }

    private CommandNode Command()
    {
        var cmd = new CommandNode(PeekNonSpace().Pos, []);
        while (true)
        {
            PeekNonSpace();
            var operand = Operand();
            if (operand is not null) cmd.Args.Add(operand);
            var token = Next();
            if (token.Type == TokenType.Space) continue;
            if (token.Type is TokenType.RightDelim or TokenType.RightParen) Backup();
            else if (token.Type != TokenType.Pipe) throw Unexpected(token, "operand");
            break;
        }
        if (cmd.Args.Count == 0) throw Error("empty command");
        return cmd;
    }

    private TemplateNode? Operand()
    {
        var node = Term();
        if (node is null || Peek().Type != TokenType.Field) return node;
        var chainPos = Peek().Pos;
        var fields = new List<string>();
        while (Peek().Type == TokenType.Field) fields.Add(Next().Value[1..]);
        return node switch
        {
            FieldNode f => new FieldNode(chainPos, [.. f.Ident, .. fields]),
            VariableNode v => new VariableNode(chainPos, [.. v.Ident, .. fields]),
            BoolNode or StringNode or NumberNode or NilNode or DotNode =>
                throw Error($"unexpected . after term {GoText.Quote(node.ToString())}"),
            _ => new ChainNode(chainPos, node, [.. fields]),
        };
    }

    private TemplateNode? Term()
    {
        var token = NextNonSpace();
        switch (token.Type)
        {
            case TokenType.Identifier:
                if (!_hasFunction(token.Value)) throw Error($"function {GoText.Quote(token.Value)} not defined");
                return new IdentifierNode(token.Pos, token.Value);
            case TokenType.Dot:
                return new DotNode(token.Pos);
            case TokenType.Nil:
                return new NilNode(token.Pos);
            case TokenType.Variable:
                var name = token.Value.Split('.')[0];
                if (!_vars.Contains(name)) throw Error($"undefined variable {GoText.Quote(name)}");
                return new VariableNode(token.Pos, [token.Value]);
            case TokenType.Field:
                return new FieldNode(token.Pos, [token.Value[1..]]);
            case TokenType.Bool:
                return new BoolNode(token.Pos, token.Value == "true");
            case TokenType.Number:
                return Number(token);
            case TokenType.LeftParen:
                return Pipeline("parenthesized pipeline", TokenType.RightParen);
            case TokenType.String:
            case TokenType.RawString:
                if (!GoText.TryUnquote(token.Value, out var s)) throw Error("invalid syntax");
                return new StringNode(token.Pos, token.Value, s);
        }
        Backup();
        return null;
    }

    private NumberNode Number(TemplateToken token)
    {
        var text = token.Value.Replace("_", "");
        var negative = text.StartsWith('-');
        var digits = text.TrimStart('+', '-');
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) &&
            long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            return new NumberNode(token.Pos, token.Value, negative ? -hex : hex, negative ? -hex : hex);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
            return new NumberNode(token.Pos, token.Value, i, i);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f))
            return new NumberNode(token.Pos, token.Value, f == Math.Floor(f) && Math.Abs(f) < 1e18 ? (long)f : null, f);
        throw Error($"illegal number syntax: {GoText.Quote(token.Value)}");
    }
}
