using Gocker.Core.Formatting;

namespace Gocker.Core.Tests.Formatting;

public class TabWriterTests
{
    [Fact]
    public void CellsAreWidestPlusThreeButAtLeastTen()
    {
        var text = "A\tLONGER HEADER\tLAST\nvalue1\tx\tend\n";
        Assert.Equal(
            "A         LONGER HEADER   LAST\n" +
            "value1    x               end\n",
            TabWriter.Format(text));
    }

    [Fact]
    public void LastCellIsNotPadded()
    {
        Assert.Equal("ab        c\n", TabWriter.Format("ab\tc\n"));
    }

    [Fact]
    public void EmptyCellsArePadded()
    {
        Assert.Equal("x         \ny         z\n", TabWriter.Format("x\t\ny\tz\n"));
    }

    [Fact]
    public void ColumnsAreBlocksOfConsecutiveLines()
    {
        // The middle line has no tab, so the first and last lines align independently.
        var text = "a\tb\nno tabs here at all\nlonger-cell-here\tc\n";
        Assert.Equal(
            "a         b\n" +
            "no tabs here at all\n" +
            "longer-cell-here   c\n",
            TabWriter.Format(text));
    }

    [Fact]
    public void WideCharactersCountTwoColumns()
    {
        Assert.Equal("日本語日本   x\nab" + new string(' ', 11) + "y\n", TabWriter.Format("日本語日本\tx\nab\ty\n"));
    }

    [Fact]
    public void TextWithoutTrailingNewlineIsKept() => Assert.Equal("a         b", TabWriter.Format("a\tb"));
}
