using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>Go's <c>text/tabwriter</c> (elastic tabstops), as docker/cli uses it for tables:
/// <c>tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)</c>. Cells are tab-terminated; a column's
/// width is the widest cell in a block of consecutive lines that have that column, plus the
/// padding, but at least <c>minWidth</c>. The text after a line's last tab is not padded.</summary>
public static class TabWriter
{
    public const int DockerMinWidth = 10;
    public const int DockerPadding = 3;

    private readonly record struct Cell(string Text, int Width, bool HTab);

    /// <summary>Aligns <paramref name="text"/> (lines separated by '\n', cells by '\t').</summary>
    public static string Format(string text, int minWidth = DockerMinWidth, int padding = DockerPadding)
    {
        var lines = Split(text);
        var sb = new StringBuilder(text.Length + 64);
        new Formatter(lines, minWidth, padding, sb).Run();
        return sb.ToString();
    }

    /// <summary>Splits into lines of cells. The last line has no newline after it (it may be
    /// empty, meaning the text ended with '\n').</summary>
    private static List<List<Cell>> Split(string text)
    {
        var lines = new List<List<Cell>> { new() };
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch is not ('\t' or '\v' or '\n' or '\f')) continue;
            var s = text[start..i];
            lines[^1].Add(new Cell(s, DisplayWidth.Of(s), ch == '\t'));
            start = i + 1;
            if (ch is '\n' or '\f') lines.Add(new List<Cell>());
        }
        if (start < text.Length)
        {
            var s = text[start..];
            lines[^1].Add(new Cell(s, DisplayWidth.Of(s), false));
        }
        return lines;
    }

    private sealed class Formatter(List<List<Cell>> lines, int minWidth, int padding, StringBuilder output)
    {
        private readonly List<int> _widths = [];

        public void Run() => Format(0, lines.Count);

        // A direct port of tabwriter.(*Writer).format: a column is a run of consecutive lines
        // that all have a cell in it (their last cell excepted); its width is settled before
        // the columns to its right, recursively.
        private void Format(int line0, int line1)
        {
            var column = _widths.Count;
            for (var current = line0; current < line1; current++)
            {
                if (column >= lines[current].Count - 1) continue;

                WriteLines(line0, current);
                line0 = current;

                var width = minWidth;
                for (; current < line1; current++)
                {
                    var line = lines[current];
                    if (column >= line.Count - 1) break;
                    var w = line[column].Width + padding;
                    if (w > width) width = w;
                }

                _widths.Add(width);
                Format(line0, current);
                _widths.RemoveAt(_widths.Count - 1);
                line0 = current;
            }
            WriteLines(line0, line1);
        }

        private void WriteLines(int line0, int line1)
        {
            for (var i = line0; i < line1; i++)
            {
                var line = lines[i];
                for (var j = 0; j < line.Count; j++)
                {
                    var c = line[j];
                    output.Append(c.Text);
                    if (j < _widths.Count) output.Append(' ', _widths[j] - c.Width);
                }
                if (i + 1 < lines.Count) output.Append('\n');
            }
        }
    }
}
