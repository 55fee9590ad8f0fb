namespace Gocker.Core.Formatting;

/// <summary>Commands, fields, variables and function calls (Go's exec.go evalCommand and friends).</summary>
internal sealed partial class TemplateExecutor
{
    /// <param name="final">The previous pipeline stage's value, passed as the last argument; null for the first stage.</param>
    private TemplateValue EvalCommand(TemplateValue dot, CommandNode cmd, TemplateValue? final)
    {
        var first = cmd.Args[0];
        switch (first)
        {
            case FieldNode f:
                _node = f;
                return EvalFieldChain(dot, dot, f.Ident, cmd.Args, final);
            case ChainNode c:
                return EvalChain(dot, c, cmd.Args, final);
            case IdentifierNode id:
                return EvalFunction(dot, id, cmd.Args, final);
            case VariableNode v:
                return EvalVariable(dot, v, cmd.Args, final);
            case PipeNode p:
                NotAFunction(cmd.Args, final);
                return EvalPipeline(dot, p);
        }
        _node = first;
        NotAFunction(cmd.Args, final);
        return first switch
        {
            BoolNode b => TemplateValue.Of(b.Value),
            DotNode => dot,
            NilNode => throw Error("nil is not a command"),
            NumberNode n => TemplateValue.Number(n.Int, n.Float, n.Int?.ToString() ?? n.Text),
            StringNode s => TemplateValue.Of(s.Text),
            _ => throw Error("can't evaluate command " + GoText.Quote(first.ToString())),
        };
    }

    private void NotAFunction(List<TemplateNode> args, TemplateValue? final)
    {
        if (args.Count > 1 || final is not null) throw Error($"can't give argument to non-function {args[0]}");
    }

    private TemplateValue EvalChain(TemplateValue dot, ChainNode chain, List<TemplateNode>? args, TemplateValue? final)
    {
        _node = chain;
        if (chain.Node is NilNode) throw Error($"indirection through explicit nil in {chain}");
        var receiver = EvalArg(dot, chain.Node);
        _node = chain;
        return EvalFieldChain(dot, receiver, chain.Field, args, final);
    }

    private TemplateValue EvalVariable(TemplateValue dot, VariableNode v, List<TemplateNode>? args, TemplateValue? final)
    {
        _node = v;
        var value = VarValue(v.Ident[0]);
        if (v.Ident.Length == 1)
        {
            if (args is not null) NotAFunction(args, final);
            return value;
        }
        return EvalFieldChain(dot, value, v.Ident[1..], args, final);
    }

    private TemplateValue EvalFieldChain(TemplateValue dot, TemplateValue receiver, string[] ident,
        List<TemplateNode>? args, TemplateValue? final)
    {
        var node = _node;
        for (var i = 0; i < ident.Length - 1; i++) receiver = EvalField(dot, ident[i], null, null, receiver);
        _node = node;
        return EvalField(dot, ident[^1], args, final, receiver);
    }

    private TemplateValue EvalField(TemplateValue dot, string name, List<TemplateNode>? args, TemplateValue? final,
        TemplateValue receiver)
    {
        var hasArgs = args is { Count: > 1 } || final is not null;
        switch (receiver.Kind)
        {
            case ValueKind.Data:
                var node = _node;
                var data = receiver.Data!;
                try
                {
                    if (hasArgs)
                    {
                        var values = new List<string>();
                        for (var i = 1; args is not null && i < args.Count; i++) values.Add(ArgString(EvalArg(dot, args[i])));
                        if (final is not null) values.Add(ArgString(final));
                        _node = node;
                        if (data.TryCallMethod(name, values, out var r)) return TemplateValue.Of(r);
                    }
                    else if (data.TryGetField(name, out var f))
                    {
                        return TemplateValue.Of(f);
                    }
                }
                catch (ArgumentException e)
                {
                    _node = node;
                    throw Error(e.Message);
                }
                throw Error($"can't evaluate field {name} in type {data.TypeName}");
            case ValueKind.Object:
                if (hasArgs) throw Error($"{name} is not a method but has arguments");
                if (receiver.Json.TryGetProperty(name, out var p)) return TemplateValue.Of(p);
                throw Error($"map has no entry for key {GoText.Quote(name)}");
            case ValueKind.Nil:
                throw Error($"nil pointer evaluating interface {{}}.{name}");
            case ValueKind.Missing:
                throw Error($"nil data; no entry for key {GoText.Quote(name)}");
            default:
                throw Error($"can't evaluate field {name} in type {receiver.TypeName}");
        }
    }

    private string ArgString(TemplateValue v) => v.Kind == ValueKind.String
        ? v.Str
        : throw Error($"wrong type for value; expected string; got {v.TypeName}");

    private TemplateValue EvalArg(TemplateValue dot, TemplateNode n)
    {
        _node = n;
        return n switch
        {
            DotNode => dot,
            NilNode => TemplateValue.Nil,
            FieldNode f => EvalFieldChain(dot, dot, f.Ident, null, null),
            VariableNode v => EvalVariable(dot, v, null, null),
            PipeNode p => EvalPipeline(dot, p),
            IdentifierNode id => EvalFunction(dot, id, [id], null),
            ChainNode c => EvalChain(dot, c, null, null),
            BoolNode b => TemplateValue.Of(b.Value),
            NumberNode num => TemplateValue.Number(num.Int, num.Float, num.Int?.ToString() ?? num.Text),
            StringNode s => TemplateValue.Of(s.Text),
            _ => throw Error("can't handle " + n),
        };
    }

    private TemplateValue EvalFunction(TemplateValue dot, IdentifierNode id, List<TemplateNode> args, TemplateValue? final)
    {
        _node = id;
        var name = id.Name;
        if (name is "and" or "or")
        {
            // Short-circuit: the first false (and) or true (or) argument, else the last.
            var count = args.Count - 1 + (final is null ? 0 : 1);
            if (count < 1) throw Error($"wrong number of args for {name}: want at least 1 got 0");
            TemplateValue v = TemplateValue.Missing;
            for (var i = 0; i < count; i++)
            {
                v = i < args.Count - 1 ? EvalArg(dot, args[i + 1]) : final!;
                if (v.IsTrue != (name == "and")) return v;
            }
            return v;
        }
        var values = new List<TemplateValue>();
        for (var i = 1; i < args.Count; i++) values.Add(EvalArg(dot, args[i]));
        if (final is not null) values.Add(final);
        _node = id;
        try
        {
            return TemplateFunctions.Call(name, values, header);
        }
        catch (ArgumentException e)
        {
            throw Error(e.Message);
        }
    }
}
