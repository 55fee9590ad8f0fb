using Gocker.Core.Formatting;

namespace Gocker.Core.Tests.Formatting;

public class GoTextTests
{
    [Theory]
    [InlineData("sh -c 'echo hi'", "\"sh -c 'echo hi'\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("a\tb\nc\\", "\"a\\tb\\nc\\\\\"")]
    [InlineData("\u0001\u007f", "\"\\x01\\x7f\"")]
    [InlineData("caf\u00e9 …", "\"caf\u00e9 …\"")]
    [InlineData("\u00a0", "\"\\u00a0\"")]
    public void QuoteMatchesStrconv(string input, string expected) => Assert.Equal(expected, GoText.Quote(input));

    [Theory]
    [InlineData("\"a\\tb\"", "a\tb")]
    [InlineData("`raw\\t`", "raw\\t")]
    [InlineData("\"\\u00e9\\x41\"", "\u00e9A")]
    public void Unquote(string literal, string expected)
    {
        Assert.True(GoText.TryUnquote(literal, out var v));
        Assert.Equal(expected, v);
    }

    [Fact]
    public void EllipsisCutsToDisplayWidth()
    {
        Assert.Equal("nginx -g 'daemon of…", DisplayWidth.Ellipsis("nginx -g 'daemon off;'", 20));
        Assert.Equal("short", DisplayWidth.Ellipsis("short", 20));
        Assert.Equal("12345678901234567890", DisplayWidth.Ellipsis("12345678901234567890", 20));
        Assert.Equal("日本…", DisplayWidth.Ellipsis("日本語です", 6));
    }

    [Fact]
    public void GoJsonEscapesLikeGo()
    {
        Assert.Equal("\"a-\\u003eb \\u0026 \\u003cc\\u003e\\n\\u001b\"", GoJson.Quote("a->b & <c>\n\u001b", escapeHtml: true));
        Assert.Equal("\"a->b & <c>\"", GoJson.Quote("a->b & <c>"));
    }
}
