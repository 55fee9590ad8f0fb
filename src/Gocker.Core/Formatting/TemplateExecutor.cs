using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>Executes a parsed template (Go's text/template/exec.go, reduced). Errors are Go's:
/// <c>template: :1:2: executing "" at &lt;.Foo&gt;: can't evaluate field Foo in type T</c>.
/// JSON objects behave as Docker's inspect fallback does (<c>missingkey=error</c>).</summary>
internal sealed partial class TemplateExecutor(string text, StringBuilder output, bool header)
{
    private readonly List<(string Name, TemplateValue Value)> _vars = [];
    private TemplateNode? _node;

    private sealed class BreakSignal : Exception;
    private sealed class ContinueSignal : Exception;

    public void Run(ListNode root, TemplateValue dot)
    {
        _vars.Add(("$", dot));
        Walk(dot, root);
    }

    private TemplateError Error(string message)
    {
        if (_node is null) return new TemplateError($"template: : {message}");
        var pos = Math.Min(_node.Pos, text.Length);
        var before = text.AsSpan(0, pos);
        var lastNewline = before.LastIndexOf('\n');
        var line = 1 + before.Count('\n');
        var col = lastNewline < 0 ? pos : pos - lastNewline - 1;
        var context = _node.ToString();
        if (context.Length > 20) context = context[..20] + "...";
        return new TemplateError($"template: :{line}:{col}: executing \"\" at <{context}>: {message}");
    }

    private void Walk(TemplateValue dot, TemplateNode node)
    {
        switch (node)
        {
            case TextNode t:
                output.Append(t.Text);
                break;
            case ListNode list:
                foreach (var n in list.Nodes) Walk(dot, n);
                break;
            case ActionNode a:
                var v = EvalPipeline(dot, a.Pipe);
                if (a.Pipe.Decl.Count == 0)
                {
                    _node = a;
                    output.Append(v.ToString());
                }
                break;
            case BranchNode { Kind: BranchKind.Range } r:
                WalkRange(dot, r);
                break;
            case BranchNode b:
                var mark = _vars.Count;
                var val = EvalPipeline(dot, b.Pipe);
                if (val.IsTrue) Walk(b.Kind == BranchKind.With ? val : dot, b.List);
                else if (b.ElseList is not null) Walk(dot, b.ElseList);
                Pop(mark);
                break;
            case BreakNode:
                throw new BreakSignal();
            case ContinueNode:
                throw new ContinueSignal();
            default:
                _node = node;
                throw Error("unknown node: " + node);
        }
    }

    private void Pop(int mark) => _vars.RemoveRange(mark, _vars.Count - mark);

    private void WalkRange(TemplateValue dot, BranchNode r)
    {
        var mark = _vars.Count;
        _node = r;
        var val = EvalCommands(dot, r.Pipe);
        var items = new List<(TemplateValue Key, TemplateValue Elem)>();
        switch (val.Kind)
        {
            case ValueKind.Array:
                var i = 0L;
                foreach (var e in val.Json.EnumerateArray()) items.Add((TemplateValue.Of(i++), TemplateValue.Of(e)));
                break;
            case ValueKind.List:
                for (var j = 0; j < val.List.Count; j++) items.Add((TemplateValue.Of(j), val.List[j]));
                break;
            case ValueKind.Object:
                foreach (var p in val.Json.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    items.Add((TemplateValue.Of(p.Name), TemplateValue.Of(p.Value)));
                break;
            case ValueKind.Number when val.Int is { } n:
                for (var k = 0L; k < n; k++) items.Add((TemplateValue.Of(k), TemplateValue.Of(k)));
                break;
            case ValueKind.Missing or ValueKind.Nil:
                break;
            default:
                throw Error($"range can't iterate over {val}");
        }
        foreach (var (key, elem) in items)
        {
            var iterationMark = _vars.Count;
            if (r.Pipe.Decl.Count == 1) _vars.Add((r.Pipe.Decl[0].Ident[0], elem));
            if (r.Pipe.Decl.Count == 2)
            {
                _vars.Add((r.Pipe.Decl[0].Ident[0], key));
                _vars.Add((r.Pipe.Decl[1].Ident[0], elem));
            }
            try
            {
                Walk(elem, r.List);
            }
            catch (ContinueSignal)
            {
            }
            catch (BreakSignal)
            {
                Pop(iterationMark);
                break;
            }
            Pop(iterationMark);
        }
        if (items.Count == 0 && r.ElseList is not null) Walk(dot, r.ElseList);
        Pop(mark);
    }

    private TemplateValue EvalPipeline(TemplateValue dot, PipeNode pipe)
    {
        var value = EvalCommands(dot, pipe);
        foreach (var v in pipe.Decl)
        {
            if (pipe.IsAssign) SetVar(v.Ident[0], value);
            else _vars.Add((v.Ident[0], value));
        }
        return value;
    }

    private TemplateValue EvalCommands(TemplateValue dot, PipeNode pipe)
    {
        TemplateValue? value = null;
        foreach (var cmd in pipe.Cmds) value = EvalCommand(dot, cmd, value);
        return value ?? TemplateValue.Missing;
    }

    private void SetVar(string name, TemplateValue value)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name != name) continue;
            _vars[i] = (name, value);
            return;
        }
        throw Error($"undefined variable: {name}");
    }

    private TemplateValue VarValue(string name)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
            if (_vars[i].Name == name) return _vars[i].Value;
        throw Error($"undefined variable: {name}");
    }
}
