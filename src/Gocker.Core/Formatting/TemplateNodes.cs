namespace Gocker.Core.Formatting;

/// <summary>The parsed form of a Go template: a small subset of text/template/parse's nodes.
/// <see cref="TemplateNode.Pos"/> is the byte offset in the template, for error locations;
/// <c>ToString()</c> renders the node as Go's <c>Node.String()</c> does, for error context.</summary>
internal abstract record TemplateNode(int Pos);

internal sealed record ListNode(int Pos, List<TemplateNode> Nodes) : TemplateNode(Pos);

internal sealed record TextNode(int Pos, string Text) : TemplateNode(Pos);

internal sealed record ActionNode(int Pos, PipeNode Pipe) : TemplateNode(Pos)
{
    public override string ToString() => "{{" + Pipe + "}}";
}

internal sealed record PipeNode(int Pos, bool IsAssign, List<VariableNode> Decl, List<CommandNode> Cmds) : TemplateNode(Pos)
{
    public override string ToString()
    {
        var decl = Decl.Count == 0 ? "" : string.Join(", ", Decl) + (IsAssign ? " = " : " := ");
        return decl + string.Join(" | ", Cmds);
    }
}

internal sealed record CommandNode(int Pos, List<TemplateNode> Args) : TemplateNode(Pos)
{
    public override string ToString() =>
        string.Join(" ", Args.Select(a => a is PipeNode p ? "(" + p + ")" : a.ToString()));
}

/// <summary><c>.A.B</c>: fields of dot.</summary>
internal sealed record FieldNode(int Pos, string[] Ident) : TemplateNode(Pos)
{
    public override string ToString() => "." + string.Join(".", Ident);
}

/// <summary><c>$x.A.B</c>: Ident[0] is the variable name, including the '$'.</summary>
internal sealed record VariableNode(int Pos, string[] Ident) : TemplateNode(Pos)
{
    public override string ToString() => string.Join(".", Ident);
}

/// <summary><c>(pipeline).A.B</c>: fields of any other term.</summary>
internal sealed record ChainNode(int Pos, TemplateNode Node, string[] Field) : TemplateNode(Pos)
{
    public override string ToString() =>
        (Node is PipeNode ? "(" + Node + ")" : Node.ToString()) + "." + string.Join(".", Field);
}

internal sealed record IdentifierNode(int Pos, string Name) : TemplateNode(Pos)
{
    public override string ToString() => Name;
}

internal sealed record DotNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => ".";
}

internal sealed record NilNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => "nil";
}

internal sealed record BoolNode(int Pos, bool Value) : TemplateNode(Pos)
{
    public override string ToString() => Value ? "true" : "false";
}

/// <summary>A number constant: <see cref="Int"/> is set when it is an integer.</summary>
internal sealed record NumberNode(int Pos, string Text, long? Int, double Float) : TemplateNode(Pos)
{
    public override string ToString() => Text;
}

internal sealed record StringNode(int Pos, string Quoted, string Text) : TemplateNode(Pos)
{
    public override string ToString() => Quoted;
}

internal enum BranchKind { If, Range, With }

/// <summary>{{if}}, {{range}} and {{with}}, each with an optional {{else}} list.</summary>
internal sealed record BranchNode(BranchKind Kind, int Pos, PipeNode Pipe, ListNode List, ListNode? ElseList)
    : TemplateNode(Pos)
{
    public override string ToString() => "{{" + Kind.ToString().ToLowerInvariant() + " " + Pipe + "}}";
}

internal sealed record BreakNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => "{{break}}";
}

internal sealed record ContinueNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => "{{continue}}";
}

/// <summary>{{end}} and {{else}}: only seen while parsing, never in a finished tree.</summary>
internal sealed record EndNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => "{{end}}";
}

internal sealed record ElseNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => "{{else}}";
}
